import ModelPlaneCore

extension FleetSimulation {
    /// XID codes after which the GPU must be reset and its processes are gone (NVIDIA XID catalog: 48 double-bit ECC,
    /// 79 fallen off the bus, 94/95 contained/uncontained ECC, 119/120 GSP errors).
    public static let fatalXIDs: Set<Int> = [48, 79, 94, 95, 119, 120]

    mutating func apply(_ fault: FaultSpec) {
        switch fault.kind {
        case .xid(let name, let index, let code):
            guard let gpu = gpuIndex(name, index), gpus[gpu].health == .healthy || gpus[gpu].health == .needsReset else { return }
            gpus[gpu].lastXID = code
            note("XID \(code) on \(name) GPU \(index)")
            if code == 79 {
                fallOff(gpu)
            } else if Self.fatalXIDs.contains(code) {
                gpus[gpu].health = .needsReset
                failHolders(of: gpu, reason: "XID \(code) on \(name) GPU \(index)")
            }
        case .fallOffBus(let name, let index):
            guard let gpu = gpuIndex(name, index) else { return }
            gpus[gpu].lastXID = 79
            note("\(name) GPU \(index) fell off the bus")
            fallOff(gpu)
        case .nodeLoss(let name):
            guard let node = nodeIndex[name], nodes[node].healthy else { return }
            nodes[node].healthy = false
            note("node \(name) lost")
            for gpu in nodes[node].gpuRange {
                gpus[gpu].health = .lost
                failHolders(of: gpu, reason: "node \(name) lost")
            }
        case .stalledLoader(let name, let fraction):
            guard let index = workloadIndex[name] else { return }
            workloads[index].stall = fraction
            note("\(name): data loader stalled (\(Int((fraction * 100).rounded())) % of the time waiting)")
        case .zombie(let name):
            guard let index = workloadIndex[name] else { return }
            workloads[index].zombie = true
            note("\(name): zombie (holds its GPUs, does no work)")
        case .degradedNVLink(let name, let factor):
            guard let node = nodeIndex[name] else { return }
            nodes[node].nvlinkFactor = factor
            for index in workloads.indices where workloads[index].status == .running && workloads[index].slots.count > 1 {
                if workloads[index].slots.contains(where: { gpus[$0.gpu].node == node }) { workloads[index].context = baseContext(index) }
            }
            note("\(name): NVLink degraded to \(Int((factor * 100).rounded())) %")
        case .thermalThrottle(let name, let index, let factor):
            guard let gpu = gpuIndex(name, index) else { return }
            gpus[gpu].coolingFactor = factor
            note("\(name) GPU \(index): cooling degraded (thermal resistance × \(factor))")
        }
        version += 1
    }

    func gpuIndex(_ node: String, _ index: Int) -> Int? {
        guard let number = nodeIndex[node], index >= 0, index < nodes[number].gpuCount else { return nil }
        return nodes[number].firstGPU + index
    }

    mutating func fallOff(_ gpu: Int) {
        gpus[gpu].health = .fallenOff
        failHolders(of: gpu, reason: "\(nodes[gpus[gpu].node].name) GPU \(gpus[gpu].index) fell off the bus (XID 79)")
    }

    /// Every workload holding any part of `gpu` dies; its controller restarts it where capacity allows.
    mutating func failHolders(of gpu: Int, reason: String) {
        var holders = Set<Int>()
        if let owner = gpus[gpu].wholeOwner { holders.insert(owner) }
        for slot in gpus[gpu].mig { if let owner = slot.owner { holders.insert(owner) } }
        for client in gpus[gpu].mps ?? [] { holders.insert(client.workload) }
        for holder in holders.sorted() { fail(holder, reason: reason) }
    }
}
