public import ModelPlaneCore

/// The figures of one fleet run that an operator (and a what-if) compares: MFU, GPU-hours, energy, cost, SLA
/// violations, OOM risk, faults.
public struct FleetSummary: Sendable, Equatable {
    public var scenario: String
    public var seed: UInt64
    public var seconds: Double
    public var gpus: Int
    public var nodes: Int
    /// Achieved model FLOPs ÷ dense BF16 peak of every usable GPU, over the run.
    public var fleetMFU: Double
    /// The same over allocated GPU time only.
    public var allocatedMFU: Double
    public var gpuHours: Double
    public var allocatedGPUHours: Double
    public var energyKWh: Double
    public var costUSD: Double
    public var idleCostUSD: Double
    /// GPU-hour cost of the allocated GPUs only.
    public var allocatedCostUSD: Double
    /// Energy × the electricity price.
    public var energyCostUSD: Double
    public var tokens: Double
    public var requestsCompleted: Int
    public var requestsLost: Int
    public var slaViolations: Int
    public var preemptions: Int
    public var outOfMemory: Int
    /// Running workloads whose memory need is above 90 % of what they were given.
    public var oomRisk: Int
    public var failures: Int
    public var pendingAtEnd: Int
    public var rackOverBudgetSeconds: Double
    public var throttledGPUHours: Double
    /// GPU-hours of MIG slices nobody held (MIG fragmentation).
    public var idleMIGGPUHours: Double
    public var workloads: [WorkloadLine]

    public struct WorkloadLine: Sendable, Equatable {
        public var name: String
        public var phase: WorkloadPhase
        public var status: WorkloadStatus
        public var placement: String
        public var mfu: Double
        public var gpuHours: Double
        public var tokensPerSecond: Double
        public var requestsCompleted: Int
        public var ttftP50: Double?
        public var ttftP99: Double?
        public var itlP50: Double?
        public var slaViolations: Int
        public var preemptions: Int
        public var memoryUse: Double
        public var restarts: Int
    }

    public init(_ simulation: FleetSimulation) {
        let totals = simulation.totals
        scenario = simulation.scenario.name
        seed = simulation.scenario.seed
        seconds = simulation.seconds
        gpus = simulation.gpus.count
        nodes = simulation.nodes.count
        fleetMFU = totals.peakFLOPs > 0 ? totals.modelFLOPs / totals.peakFLOPs : 0
        let usable = totals.usableGPUSeconds
        let allocatedPeak = usable > 0 ? totals.peakFLOPs * totals.allocatedGPUSeconds / usable : 0
        allocatedMFU = allocatedPeak > 0 ? min(1, totals.modelFLOPs / allocatedPeak) : 0
        gpuHours = totals.gpuSeconds / 3600
        allocatedGPUHours = totals.allocatedGPUSeconds / 3600
        energyKWh = simulation.gpus.reduce(0) { $0 + $1.energyJoules } / 3.6e6
        costUSD = totals.costUSD
        idleCostUSD = totals.idleCostUSD
        allocatedCostUSD = totals.costUSD - totals.idleCostUSD
        energyCostUSD = energyKWh * simulation.constants.electricityUSDPerKWh
        rackOverBudgetSeconds = totals.rackOverBudgetSeconds
        throttledGPUHours = totals.throttledGPUSeconds / 3600
        idleMIGGPUHours = totals.idleMIGGPUSeconds / 3600
        var lines: [WorkloadLine] = []
        var risk = 0
        for workload in simulation.workloads {
            let placement = workload.slots.map { slot -> String in
                let gpu = simulation.gpus[slot.gpu]
                let place = "\(simulation.nodes[gpu.node].name)/\(gpu.index)"
                switch slot.kind {
                case .whole: return place
                case .mig(let position): return "\(place):\(gpu.mig[position].profile.name)"
                case .mps(let percent, _): return "\(place):mps\(percent)%"
                }
            }
            if workload.status == .running, workload.capacityPerGPUBytes > 0, workload.memoryPerGPUBytes > 0.9 * workload.capacityPerGPUBytes,
                workload.spec.phase == .training
            {
                risk += 1
            }
            let ttft = workload.timeToFirstToken
            let itl = workload.interTokenLatency
            lines.append(
                WorkloadLine(
                    name: workload.spec.name, phase: workload.spec.phase, status: workload.status,
                    placement: placement.isEmpty ? "-" : Self.compact(placement), mfu: workload.mfu, gpuHours: workload.gpuSeconds / 3600,
                    tokensPerSecond: workload.runningSeconds > 0 ? workload.tokens / workload.runningSeconds : 0,
                    requestsCompleted: workload.requestsCompleted, ttftP50: ttft.quantile(0.5), ttftP99: ttft.quantile(0.99),
                    itlP50: itl.quantile(0.5),
                    slaViolations: workload.slaViolations, preemptions: workload.preemptions,
                    memoryUse: workload.capacityPerGPUBytes > 0 ? workload.memoryPerGPUBytes / workload.capacityPerGPUBytes : 0,
                    restarts: workload.restarts))
        }
        workloads = lines
        oomRisk = risk
        tokens = simulation.workloads.reduce(0) { $0 + $1.tokens }
        requestsCompleted = simulation.workloads.reduce(0) { $0 + $1.requestsCompleted }
        requestsLost = simulation.workloads.reduce(0) { $0 + $1.requestsLost }
        slaViolations = simulation.workloads.reduce(0) { $0 + $1.slaViolations }
        preemptions = simulation.workloads.reduce(0) { $0 + $1.preemptions }
        outOfMemory = simulation.workloads.filter { $0.status == .outOfMemory }.count
        failures = simulation.workloads.reduce(0) { $0 + $1.failures.count }
        pendingAtEnd = simulation.workloads.filter { $0.status == .pending }.count
    }

    /// `node-0001/0,node-0001/1,…` as `node-0001/0-7` when the GPUs of one node are consecutive.
    static func compact(_ places: [String]) -> String {
        guard places.count > 2, places.allSatisfy({ !$0.contains(":") }) else { return places.joined(separator: ",") }
        var groups: [(node: Substring, first: Int, last: Int)] = []
        for place in places {
            guard let slash = place.lastIndex(of: "/"), let index = Int(place[place.index(after: slash)...]) else {
                return places.joined(separator: ",")
            }
            let node = place[..<slash]
            if let last = groups.last, last.node == node, last.last + 1 == index {
                groups[groups.count - 1].last = index
            } else {
                groups.append((node, index, index))
            }
        }
        return groups.map { $0.first == $0.last ? "\($0.node)/\($0.first)" : "\($0.node)/\($0.first)-\($0.last)" }.joined(separator: ",")
    }

    /// Stable JSON (sorted keys, fixed rounding), so one seed gives the same bytes.
    public var json: ConfigValue {
        func round(_ value: Double, _ digits: Double = 1e6) -> ConfigValue { .number((value * digits).rounded() / digits) }
        func optional(_ value: Double?) -> ConfigValue { value.map { round($0) } ?? .null }
        return .object([
            "scenario": .string(scenario), "seed": .number(Double(seed)), "seconds": round(seconds), "gpus": .number(Double(gpus)),
            "nodes": .number(Double(nodes)), "fleet_mfu": round(fleetMFU), "allocated_mfu": round(allocatedMFU), "gpu_hours": round(gpuHours),
            "allocated_gpu_hours": round(allocatedGPUHours), "energy_kwh": round(energyKWh), "cost_usd": round(costUSD, 100),
            "idle_cost_usd": round(idleCostUSD, 100), "energy_cost_usd": round(energyCostUSD, 100), "tokens": round(tokens, 1),
            "requests_completed": .number(Double(requestsCompleted)),
            "requests_lost": .number(Double(requestsLost)), "sla_violations": .number(Double(slaViolations)),
            "preemptions": .number(Double(preemptions)), "oom_killed": .number(Double(outOfMemory)), "oom_risk": .number(Double(oomRisk)),
            "failures": .number(Double(failures)), "pending_at_end": .number(Double(pendingAtEnd)),
            "rack_over_budget_seconds": round(rackOverBudgetSeconds), "throttled_gpu_hours": round(throttledGPUHours),
            "mig_idle_gpu_hours": round(idleMIGGPUHours),
            "workloads": .array(
                workloads.map { line in
                    .object([
                        "name": .string(line.name), "phase": .string(line.phase.rawValue), "status": .string(line.status.rawValue),
                        "placement": .string(line.placement), "mfu": round(line.mfu), "gpu_hours": round(line.gpuHours),
                        "tokens_per_second": round(line.tokensPerSecond, 1000), "requests_completed": .number(Double(line.requestsCompleted)),
                        "ttft_p50_seconds": optional(line.ttftP50), "ttft_p99_seconds": optional(line.ttftP99),
                        "itl_p50_seconds": optional(line.itlP50),
                        "sla_violations": .number(Double(line.slaViolations)), "preemptions": .number(Double(line.preemptions)),
                        "memory_use": round(line.memoryUse), "restarts": .number(Double(line.restarts)),
                    ])
                }),
        ])
    }
}
