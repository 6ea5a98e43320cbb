extension FleetSimulation {
    /// Every broken invariant, in words; empty when the state is consistent. Tests call it after every event; debug
    /// builds assert it at the end of each `advance`.
    ///
    /// No negative capacity (CPU, host memory, MPS shares), every allocation on an existing, usable device, every
    /// holder recorded on both sides, shares on a GPU never above its limit, physical quantities in range.
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        for node in nodes {
            if node.freeCPUCores < 0 || node.freeCPUCores > node.cpuCores {
                problems.append("\(node.name): \(node.freeCPUCores) free CPU cores of \(node.cpuCores)")
            }
            if node.freeMemoryBytes < -1 || node.freeMemoryBytes > node.memoryBytes + 1 {
                problems.append("\(node.name): \(node.freeMemoryBytes) free host bytes of \(node.memoryBytes)")
            }
        }
        for (index, gpu) in gpus.enumerated() {
            let name = "\(nodes[gpu.node].name) GPU \(gpu.index)"
            if let clients = gpu.mps {
                if gpu.mpsSMUsed > 100 { problems.append("\(name): MPS shares add up to \(gpu.mpsSMUsed) %") }
                if gpu.mpsMemoryUsed > gpu.usableMemoryBytes + 1 { problems.append("\(name): MPS memory limits exceed the device") }
                for client in clients where !holds(client.workload, gpu: index) {
                    problems.append("\(name): MPS client \(client.workload) does not list this GPU")
                }
            }
            if let owner = gpu.wholeOwner, !holds(owner, gpu: index) { problems.append("\(name): owner \(owner) does not list this GPU") }
            for slot in gpu.mig { if let owner = slot.owner, !holds(owner, gpu: index) { problems.append("\(name): MIG owner \(owner) mismatch") } }
            if !(gpu.watts >= 0) || gpu.watts > gpu.tdp * 1.0001 { problems.append("\(name): power \(gpu.watts) W outside 0…TDP") }
            if !(gpu.energyJoules >= 0) { problems.append("\(name): energy \(gpu.energyJoules) J") }
            if !(gpu.celsius >= constants.ambientCelsius - 1e-6) || gpu.celsius > 200 { problems.append("\(name): temperature \(gpu.celsius) °C") }
            for value in [gpu.smActive, gpu.tensorActive, gpu.dramActive] where !(0...1).contains(value) {
                problems.append("\(name): activity \(value) outside 0…1")
            }
        }
        for (index, workload) in workloads.enumerated() {
            let name = workload.spec.name
            if workload.status == .running, workload.slots.isEmpty { problems.append("\(name): running without GPUs") }
            if workload.status != .running, !workload.slots.isEmpty { problems.append("\(name): \(workload.status) but holds GPUs") }
            for slot in workload.slots {
                guard gpus.indices.contains(slot.gpu) else {
                    problems.append("\(name): slot on GPU \(slot.gpu), which does not exist")
                    continue
                }
                let gpu = gpus[slot.gpu]
                if !gpu.isUsable { problems.append("\(name): runs on \(nodes[gpu.node].name) GPU \(gpu.index), which is \(gpu.health.rawValue)") }
                switch slot.kind {
                case .whole: if gpu.wholeOwner != index { problems.append("\(name): whole GPU not recorded") }
                case .mig(let position):
                    if !gpu.mig.indices.contains(position) || gpu.mig[position].owner != index { problems.append("\(name): MIG slot not recorded") }
                case .mps: if !(gpu.mps ?? []).contains(where: { $0.workload == index }) { problems.append("\(name): MPS client not recorded") }
                }
            }
            if let engine = workload.engine, engine.running < 0 || engine.waitingCount < 0 || engine.running > engine.maxRunning {
                problems.append("\(name): \(engine.running) running, \(engine.waitingCount) waiting")
            }
        }
        return problems
    }

    func holds(_ workload: Int, gpu: Int) -> Bool {
        workloads.indices.contains(workload) && workloads[workload].slots.contains { $0.gpu == gpu }
    }
}
