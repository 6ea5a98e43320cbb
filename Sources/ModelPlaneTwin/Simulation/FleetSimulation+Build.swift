import ModelPlaneCore

extension FleetSimulation {
    /// PCI bus numbers of the eight GPUs of an HGX H100 board (as `nvidia-smi` shows them on a DGX H100).
    static let busNumbers = [0x18, 0x2A, 0x3A, 0x5D, 0x9A, 0xAB, 0xBA, 0xDB]

    mutating func buildFleet() throws(InputError) {
        defer {
            for name in scenario.cordoned { if let index = nodeIndex[name] { nodes[index].cordoned = true } }
        }
        guard !scenario.pools.isEmpty else { throw InputError("pools", "the fleet has no node pools", expected: "at least one pool") }
        var poolNames = Set<String>()
        for (poolIndex, pool) in scenario.pools.enumerated() {
            let at = "pools[\(poolIndex)]"
            guard poolNames.insert(pool.name).inserted else {
                throw InputError("\(at).name", "\"\(pool.name)\" is used twice", expected: "unique pool names")
            }
            guard pool.count >= 1 else { throw InputError("\(at).count", "\(pool.count) nodes", expected: "at least 1") }
            guard (1...64).contains(pool.gpusPerNode) else {
                throw InputError("\(at).gpus_per_node", "\(pool.gpusPerNode) GPUs per node", expected: "1 to 64")
            }
            guard pool.cpuCores >= 1, pool.memoryBytes > 0, pool.numaNodes >= 1 else {
                throw InputError("\(at)", "cpu_cores, memory_gib and numa_nodes must be positive")
            }
            guard pool.nodesPerRack >= 1 else { throw InputError("\(at).nodes_per_rack", "\(pool.nodesPerRack)", expected: "at least 1") }
            guard (1...pool.gpusPerNode).contains(pool.nvlinkDomainSize), pool.gpusPerNode % pool.nvlinkDomainSize == 0 else {
                throw InputError(
                    "\(at).nvlink_domain", "\(pool.nvlinkDomainSize) GPUs per NVLink domain",
                    expected: "a divisor of gpus_per_node (\(pool.gpusPerNode))")
            }
            if let budget = pool.rackPowerBudgetWatts, !(budget > 0) {
                throw InputError("\(at).rack_power_kw", "\(budget / 1000) kW", expected: "a positive budget")
            }
            if case .mig(let layout) = pool.sharing { try Self.validateMIGLayout(layout, gpu: pool.gpu, at: "\(at).sharing") }
            let racksBefore = racks.count
            let modelIndex = gpuModels.firstIndex(of: pool.gpu) ?? gpuModels.count
            if modelIndex == gpuModels.count { gpuModels.append(pool.gpu) }
            for nodeNumber in 0..<pool.count {
                let name = "\(pool.name)-\(Self.padded(nodeNumber, 4))"
                let rack = racksBefore + nodeNumber / pool.nodesPerRack
                if rack == racks.count {
                    racks.append(
                        RackState(
                            name: "\(pool.name)-rack-\(Self.padded(nodeNumber / pool.nodesPerRack, 3))", budgetWatts: pool.rackPowerBudgetWatts,
                            nodes: nodes.count..<nodes.count))
                }
                racks[rack].nodes = racks[rack].nodes.lowerBound..<(nodes.count + 1)
                nodeIndex[name] = nodes.count
                nodes.append(
                    SimNode(
                        name: name, pool: poolIndex, rack: rack, firstGPU: gpus.count, gpuCount: pool.gpusPerNode, cpuCores: pool.cpuCores,
                        memoryBytes: pool.memoryBytes, freeCPUCores: pool.cpuCores, freeMemoryBytes: pool.memoryBytes, numaNodes: pool.numaNodes,
                        nvlinkDomainSize: pool.nvlinkDomainSize))
                for gpuNumber in 0..<pool.gpusPerNode {
                    let idleWatts = constants.idlePowerFraction * (pool.gpu.tdpWatts ?? 300)
                    var gpu = SimGPU(
                        node: nodes.count - 1, index: gpuNumber, modelIndex: modelIndex, model: pool.gpu, uuid: Self.uuid(node: name, gpu: gpuNumber),
                        busID: Self.busID(gpuNumber), celsius: constants.ambientCelsius + idleWatts * constants.thermalResistanceCelsiusPerWatt,
                        watts: idleWatts)
                    switch pool.sharing {
                    case .whole: break
                    case .mps:
                        gpu.mps = []
                        mpsGPUs.append(gpus.count)
                    case .mig(let layout): gpu.mig = Self.migSlots(layout)
                    }
                    gpus.append(gpu)
                }
            }
        }
    }

    static func validateMIGLayout(_ layout: [MIGProfile], gpu: GPUModel, at path: String) throws(InputError) {
        guard !layout.isEmpty else { throw InputError(path, "an empty MIG layout", expected: "one or more profiles of \(gpu.displayName)") }
        let compute = layout.reduce(0) { $0 + $1.computeSlices }
        let memory = layout.reduce(0) { $0 + $1.memorySlices }
        guard compute <= 7, memory <= 8 else {
            throw InputError(
                path, "the layout takes \(compute) compute and \(memory) memory slices",
                expected: "at most 7 compute and 8 memory slices on one \(gpu.displayName)")
        }
        for profile in Set(layout.map(\.name)) {
            let count = layout.filter { $0.name == profile }.count
            if let limit = layout.first(where: { $0.name == profile })?.maxCount, count > limit {
                throw InputError(path, "\(count) instances of \(profile)", expected: "at most \(limit) on one GPU")
            }
        }
    }

    /// GPU instance IDs in NVML's numbering: by size, 7g → 0, 4g → 1, 3g → 1–2, 2g → 3–5, 1g → 7–13.
    static func migSlots(_ layout: [MIGProfile]) -> [MIGSlot] {
        let base = [7: 0, 4: 1, 3: 1, 2: 3, 1: 7]
        var used: [Int: Int] = [:]
        return layout.map { profile in
            let size = profile.computeSlices
            let id = (base[size] ?? 0) + (used[size] ?? 0)
            used[size, default: 0] += 1
            return MIGSlot(profile: profile, instanceID: id, owner: nil)
        }
    }

    static func padded(_ number: Int, _ width: Int) -> String {
        let text = String(number)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    static func busID(_ index: Int) -> String {
        let bus = index < busNumbers.count ? busNumbers[index] : 0x10 + index
        let hex = String(bus, radix: 16, uppercase: true)
        return "00000000:\(hex.count == 1 ? "0" + hex : hex):00.0"
    }

    /// A stable UUID in NVIDIA's `GPU-8-4-4-4-12` form from the node name and index (FNV-1a, then SplitMix64).
    static func uuid(node: String, gpu: Int) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(node)/\(gpu)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        var generator = SeededGenerator(seed: hash)
        let high = generator.next()
        let low = generator.next()
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        return
            "GPU-\(hex(high >> 32, 8))-\(hex((high >> 16) & 0xffff, 4))-\(hex(high & 0xffff, 4))-\(hex(low >> 48, 4))-\(hex(low & 0xffff_ffff_ffff, 12))"
    }

    /// `faults[i]`: the time is checked at `faults[i].at`, the rest at `faults[i].KIND.field` (the scenario's keys).
    func validate(_ fault: FaultSpec, at entry: String) throws(InputError) {
        guard fault.atSeconds >= 0, fault.atSeconds.isFinite else {
            throw InputError("\(entry).at", "\(fault.atSeconds) s", expected: "a time ≥ 0 within the run")
        }
        let path = "\(entry).\(fault.kind.key)"
        func node(_ name: String) throws(InputError) -> SimNode {
            guard let index = nodeIndex[name] else {
                throw InputError("\(path).node", "no node \"\(name)\" in the fleet", expected: "a node name such as \(nodes.first?.name ?? "-")")
            }
            return nodes[index]
        }
        func gpu(_ name: String, _ index: Int) throws(InputError) {
            let found = try node(name)
            guard (0..<found.gpuCount).contains(index) else {
                throw InputError("\(path).gpu", "GPU \(index) on \(name)", expected: "0…\(found.gpuCount - 1)")
            }
        }
        func workload(_ name: String) throws(InputError) {
            guard workloadIndex[name] != nil else {
                throw InputError(
                    "\(path).workload", "no workload \"\(name)\"", expected: "one of \(workloads.map(\.spec.name).prefix(5).joined(separator: ", "))")
            }
        }
        func fraction(_ value: Double, _ field: String, allowZero: Bool) throws(InputError) {
            guard value.isFinite, allowZero ? value >= 0 : value > 0, value <= 1 else {
                throw InputError("\(path).\(field)", "\(value)", expected: allowZero ? "a fraction 0…1" : "a fraction above 0, at most 1")
            }
        }
        switch fault.kind {
        case .xid(let name, let index, let code):
            try gpu(name, index)
            guard code > 0 else { throw InputError("\(path).code", "\(code)", expected: "a positive XID code") }
        case .fallOffBus(let name, let index), .thermalThrottle(let name, let index, _): try gpu(name, index)
        case .nodeLoss(let name): _ = try node(name)
        case .degradedNVLink(let name, let factor):
            _ = try node(name)
            try fraction(factor, "factor", allowZero: false)
        case .stalledLoader(let name, let value):
            try workload(name)
            try fraction(value, "fraction", allowZero: true)
        case .zombie(let name): try workload(name)
        }
        if case .thermalThrottle(_, _, let factor) = fault.kind, !(factor >= 1 && factor <= 10) {
            throw InputError("\(path).factor", "\(factor)", expected: "a thermal-resistance multiplier 1…10")
        }
    }
}
