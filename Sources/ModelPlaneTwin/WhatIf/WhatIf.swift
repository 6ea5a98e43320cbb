public import ModelPlaneCore

/// A proposed change to the fleet, checked in the twin before it runs.
public enum WhatIfAction: Sendable, Equatable, CustomStringConvertible {
    /// Pin a workload to a node.
    case move(workload: String, node: String)
    /// Give an MPS client another SM percentage (its memory limit unchanged).
    case mpsShare(workload: String, smPercent: Int)
    /// Run a workload on another pool's GPU type.
    case gpuTier(workload: String, pool: String)
    /// Drain a node: cordon it so its workloads land elsewhere, leaving it idle.
    case repack(node: String)
    /// Cap every GPU that did no work in the last step at this many watts.
    case powerCapIdle(watts: Double)

    public var description: String {
        switch self {
        case .move(let workload, let node): "move \(workload) to \(node)"
        case .mpsShare(let workload, let percent): "give \(workload) an MPS share of \(percent) %"
        case .gpuTier(let workload, let pool): "run \(workload) on pool \(pool)"
        case .repack(let node): "repack node \(node)"
        case .powerCapIdle(let watts): "power-cap idle GPUs at \(Int(watts)) W"
        }
    }

    /// Parses `move W NODE`, `mps-share W PERCENT`, `gpu-tier W POOL`, `repack NODE`, `power-cap-idle WATTS`.
    public init(parsing text: String) throws(InputError) {
        let words = text.split(separator: " ").map(String.init)
        let usage = "move WORKLOAD NODE, mps-share WORKLOAD PERCENT, gpu-tier WORKLOAD POOL, repack NODE or power-cap-idle WATTS"
        switch (words.first, words.count) {
        case ("move", 3): self = .move(workload: words[1], node: words[2])
        case ("mps-share", 3):
            guard let percent = Int(words[2]), (1...100).contains(percent) else {
                throw InputError("--action", "\"\(words[2])\" is not an SM percentage", expected: "1…100")
            }
            self = .mpsShare(workload: words[1], smPercent: percent)
        case ("gpu-tier", 3): self = .gpuTier(workload: words[1], pool: words[2])
        case ("repack", 2): self = .repack(node: words[1])
        case ("power-cap-idle", 2):
            guard let watts = Double(words[1]), watts > 0, watts.isFinite else {
                throw InputError("--action", "\"\(words[1])\" is not a power in watts", expected: "a positive number of watts")
            }
            self = .powerCapIdle(watts: watts)
        default: throw InputError("--action", "\"\(text)\"", expected: usage)
        }
    }

    /// The scenario with the action applied from its start; an action that names something absent is an error.
    public func applied(to scenario: Scenario) throws(InputError) -> Scenario {
        var result = scenario
        func workload(_ name: String) throws(InputError) -> Int {
            guard let index = scenario.workloads.firstIndex(where: { $0.name == name }) else {
                throw InputError("--action", "no workload \"\(name)\" in \(scenario.name)", expected: "a workload of the scenario")
            }
            return index
        }
        let nodeNames = Set(
            scenario.pools.flatMap { pool in (0..<pool.count).map { "\(pool.name)-\(FleetSimulation.padded($0, 4))" } })
        func node(_ name: String) throws(InputError) {
            guard nodeNames.contains(name) else { throw InputError("--action", "no node \"\(name)\"", expected: "a node of the fleet") }
        }
        switch self {
        case .move(let name, let target):
            try node(target)
            result.workloads[try workload(name)].node = target
        case .mpsShare(let name, let percent):
            let index = try workload(name)
            guard case .mps(_, let bytes) = scenario.workloads[index].sharing else {
                throw InputError("--action", "\(name) is not an MPS client", expected: "a workload with sharing: {mps: …}")
            }
            result.workloads[index].sharing = .mps(smPercent: percent, memoryBytes: bytes)
        case .gpuTier(let name, let pool):
            let index = try workload(name)
            guard scenario.pools.contains(where: { $0.name == pool }) else {
                throw InputError("--action", "no pool \"\(pool)\"", expected: "one of \(scenario.pools.map(\.name).joined(separator: ", "))")
            }
            result.workloads[index].pool = pool
            result.workloads[index].node = nil
        case .repack(let target):
            try node(target)
            result.cordoned.append(target)
            for index in result.workloads.indices where result.workloads[index].node == target { result.workloads[index].node = nil }
        case .powerCapIdle(let watts):
            result.idlePowerCapWatts = watts
        }
        return result
    }
}

/// Runs a scenario with and without an action over several seeds and reports the paired differences.
public enum WhatIf {
    /// One compared figure: the baseline and proposed means, and the mean paired difference with its 95 % interval.
    public struct Delta: Sendable, Equatable {
        public var name: String
        public var baseline: Double
        public var proposed: Double
        public var delta: Double
        /// Half-width of the 95 % confidence interval of `delta` (Student's t over the seeds; 0 for one seed).
        public var interval: Double
    }

    public struct Result: Sendable, Equatable {
        public var action: WhatIfAction
        public var seeds: [UInt64]
        public var deltas: [Delta]
    }

    /// The figures compared, by name, from a run's summary.
    static func figures(_ summary: FleetSummary) -> [(String, Double)] {
        [
            ("fleet_mfu", summary.fleetMFU),
            ("allocated_gpu_hours", summary.allocatedGPUHours),
            ("energy_kwh", summary.energyKWh),
            ("cost_usd", summary.allocatedCostUSD + summary.energyCostUSD),
            ("sla_violations", Double(summary.slaViolations)),
            ("oom_risk", Double(summary.oomRisk + summary.outOfMemory)),
            ("tokens", summary.tokens),
            ("failures", Double(summary.failures)),
        ]
    }

    /// Runs every seed with and without `action` (in parallel) and pairs them.
    public static func run(_ scenario: Scenario, action: WhatIfAction, seeds: [UInt64]) async throws(InputError) -> Result {
        let proposed = try action.applied(to: scenario)
        _ = try FleetSimulation(scenario: proposed)
        _ = try FleetSimulation(scenario: scenario)
        let pairs = await withTaskGroup(of: (Int, [(String, Double)], [(String, Double)]).self) { group in
            for (position, seed) in seeds.enumerated() {
                group.addTask {
                    func summary(_ base: Scenario) -> [(String, Double)] {
                        var seeded = base
                        seeded.seed = seed
                        guard var simulation = try? FleetSimulation(scenario: seeded) else { return [] }
                        simulation.timelineEvery = Int.max
                        simulation.run()
                        return figures(FleetSummary(simulation))
                    }
                    return (position, summary(scenario), summary(proposed))
                }
            }
            var collected: [(Int, [(String, Double)], [(String, Double)])] = []
            for await pair in group { collected.append(pair) }
            return collected.sorted { $0.0 < $1.0 }
        }
        var deltas: [Delta] = []
        for (index, (name, _)) in (pairs.first?.1 ?? []).enumerated() {
            let baseline = pairs.map { $0.1[index].1 }
            let proposed = pairs.map { $0.2[index].1 }
            let differences = zip(proposed, baseline).map { $0 - $1 }
            deltas.append(
                Delta(
                    name: name, baseline: mean(baseline), proposed: mean(proposed), delta: mean(differences),
                    interval: halfWidth(differences)))
        }
        return Result(action: action, seeds: seeds, deltas: deltas)
    }

    static func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

    /// t(0.975, n − 1) · s / √n.
    static func halfWidth(_ values: [Double]) -> Double {
        let n = values.count
        guard n > 1 else { return 0 }
        let average = mean(values)
        let variance = values.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(n - 1)
        return studentT975(degrees: n - 1) * (variance / Double(n)).squareRoot()
    }

    /// Two-sided 95 % quantiles of Student's t (standard tables), 1.96 beyond 30 degrees of freedom.
    static func studentT975(degrees: Int) -> Double {
        let table: [Double] = [
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093,
            2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
        ]
        return degrees >= 1 && degrees <= table.count ? table[degrees - 1] : 1.96
    }
}
