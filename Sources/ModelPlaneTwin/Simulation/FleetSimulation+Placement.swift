import ModelPlaneCore

/// The twin's own placement of scenario workloads: first fit in pool order, NVLink domain first for multi-GPU jobs.
/// (ModelPlane's placement engine is a separate concern; the twin only needs a deterministic, plausible layout.)
extension FleetSimulation {
    /// Tries every pending workload, most important first (priority, then scenario order).
    mutating func placePending() {
        let pending = workloads.indices.filter { workloads[$0].status == .pending }
            .sorted { (workloads[$0].spec.priority, $0) < (workloads[$1].spec.priority, $1) }
        for index in pending { _ = place(index) }
    }

    /// CPU cores and host memory a workload takes on each node it runs on.
    static func hostShare(_ spec: WorkloadSpec, nodes: Int) -> (cores: Int, bytes: Double) {
        let cores = spec.cpuCores ?? 4 * max(1, spec.gpus)
        let bytes = spec.hostMemoryBytes ?? 32 * gibibyte * Double(max(1, spec.gpus))
        return ((cores + nodes - 1) / nodes, bytes / Double(nodes))
    }

    func hostFits(_ node: SimNode, _ share: (cores: Int, bytes: Double)) -> Bool {
        node.healthy && node.freeCPUCores >= share.cores && node.freeMemoryBytes >= share.bytes
    }

    mutating func place(_ index: Int) -> Bool {
        let spec = workloads[index].spec
        let candidates = spec.node.flatMap { nodeIndex[$0] }.map { [$0] } ?? Array(nodes.indices)
        var slots: [Slot] = []
        switch spec.sharing {
        case .whole:
            slots = findWholeGPUs(spec, candidates: candidates)
        case .mig(let profile):
            let share = Self.hostShare(spec, nodes: 1)
            search: for nodeNumber in candidates where hostFits(nodes[nodeNumber], share) {
                for gpu in nodes[nodeNumber].gpuRange where gpus[gpu].isUsable {
                    if let slot = gpus[gpu].mig.firstIndex(where: { $0.owner == nil && $0.profile.name == profile }) {
                        slots = [Slot(gpu: gpu, kind: .mig(slot))]
                        break search
                    }
                }
            }
        case .mps(let percent, let bytes):
            let share = Self.hostShare(spec, nodes: 1)
            search: for nodeNumber in candidates where hostFits(nodes[nodeNumber], share) {
                for gpu in nodes[nodeNumber].gpuRange where gpus[gpu].isUsable && gpus[gpu].mps != nil {
                    if gpus[gpu].mpsSMUsed + percent <= 100, gpus[gpu].mpsMemoryUsed + bytes <= gpus[gpu].model.usableMemoryBytes {
                        slots = [Slot(gpu: gpu, kind: .mps(smPercent: percent, memoryBytes: bytes))]
                        break search
                    }
                }
            }
        }
        guard !slots.isEmpty else { return false }
        assign(index, slots)
        return true
    }

    /// Whole GPUs: within one node when the job fits a node (one NVLink domain when it can), else whole free nodes
    /// of one pool.
    func findWholeGPUs(_ spec: WorkloadSpec, candidates: [Int]) -> [Slot] {
        let count = max(1, spec.gpus)
        for nodeNumber in candidates {
            let node = nodes[nodeNumber]
            guard case .whole = scenario.pools[node.pool].sharing, count <= node.gpuCount, hostFits(node, Self.hostShare(spec, nodes: 1)) else {
                continue
            }
            let free = node.gpuRange.filter { gpus[$0].isUsable && gpus[$0].isFree }
            guard free.count >= count else { continue }
            for domainStart in stride(from: node.firstGPU, to: node.firstGPU + node.gpuCount, by: node.nvlinkDomainSize) {
                let inDomain = free.filter { $0 >= domainStart && $0 < domainStart + node.nvlinkDomainSize }
                if inDomain.count >= count { return inDomain.prefix(count).map { Slot(gpu: $0, kind: .whole) } }
            }
            return free.prefix(count).map { Slot(gpu: $0, kind: .whole) }
        }
        // Multi-node: whole free nodes of one pool.
        for (poolNumber, pool) in scenario.pools.enumerated() {
            guard case .whole = pool.sharing, count > pool.gpusPerNode else { continue }
            let needed = (count + pool.gpusPerNode - 1) / pool.gpusPerNode
            let share = Self.hostShare(spec, nodes: needed)
            let fitting = candidates.filter { number in
                let node = nodes[number]
                return node.pool == poolNumber && hostFits(node, share) && node.gpuRange.allSatisfy { gpus[$0].isUsable && gpus[$0].isFree }
            }
            guard fitting.count >= needed else { continue }
            return Array(fitting.prefix(needed).flatMap { nodes[$0].gpuRange }.prefix(count).map { Slot(gpu: $0, kind: .whole) })
        }
        return []
    }

    mutating func assign(_ index: Int, _ slots: [Slot]) {
        let spec = workloads[index].spec
        let nodeNumbers = Array(Set(slots.map { gpus[$0.gpu].node })).sorted()
        let share = Self.hostShare(spec, nodes: nodeNumbers.count)
        for number in nodeNumbers {
            nodes[number].freeCPUCores -= share.cores
            nodes[number].freeMemoryBytes -= share.bytes
        }
        for slot in slots {
            switch slot.kind {
            case .whole: gpus[slot.gpu].wholeOwner = index
            case .mig(let position): gpus[slot.gpu].mig[position].owner = index
            case .mps(let percent, let bytes): gpus[slot.gpu].mps?.append(MPSClient(workload: index, smPercent: percent, memoryBytes: bytes))
            }
        }
        workloads[index].slots = slots
        workloads[index].node = nodeNumbers.first
        workloads[index].status = .running
        let where_ = nodeNumbers.map { nodes[$0].name }.joined(separator: ",")
        note("\(spec.name) placed on \(where_) GPU \(slots.map { String(gpus[$0.gpu].index) }.joined(separator: ","))")
        checkMemory(index)
    }

    /// Sizes the workload's memory against what it was given; a workload that does not fit is OOM-killed.
    mutating func checkMemory(_ index: Int) {
        let workload = workloads[index]
        let spec = workload.spec
        guard let first = workload.slots.first else { return }
        let gpu = gpus[first.gpu]
        let capacity: Double
        switch first.kind {
        case .whole: capacity = gpu.model.usableMemoryBytes
        case .mig(let position): capacity = gpu.mig[position].profile.memoryBytes
        case .mps(_, let bytes): capacity = bytes
        }
        let devices = Double(workload.slots.count)
        let model = spec.model
        let weights = model.weightBytes(WeightFormat(precision: spec.precision)) / devices
        let overhead = MemoryFitRequest.defaultRuntimeOverhead
        var needed: Double
        switch spec.phase {
        case .training:
            // Mixed-precision Adam, sharded (ZeRO-3/FSDP): 16 bytes per parameter over the devices; activations with
            // selective recompute, 34·s·b·h bytes per layer (Korthikanti et al. 2022), for a micro-batch of at most
            // 8,192 tokens per GPU (gradient accumulation covers the rest).
            let tokens = min(8_192, Double(spec.batch * spec.sequence) / devices)
            let activations = 34 * tokens * Double(model.architecture.hiddenSize) * Double(model.architecture.layers)
            needed = 16 * model.parameters.total / devices + activations + overhead
            workloads[index].memoryPerGPUBytes = min(needed, capacity)
        case .inference:
            // vLLM takes `gpu_memory_utilization` of the device up front and gives what the weights leave to the KV cache;
            // it refuses to start when the cache cannot hold one sequence of the full length.
            let budget = capacity * constants.gpuMemoryUtilization
            let perToken = model.kvCacheBytesPerTokenPerGPU(spec.precision, tensorParallel: workload.slots.count)
            let kvTokens = max(0, budget - weights - overhead) / perToken
            needed = weights + overhead + perToken * Double(spec.sequence + spec.outputTokens)
            workloads[index].memoryPerGPUBytes = min(budget, capacity)
            if let previous = workloads[index].engine {
                workloads[index].pastTTFT.merge(previous.ttft)
                workloads[index].pastITL.merge(previous.itl)
            }
            workloads[index].engine = ServingEngine(
                promptTokens: spec.sequence, outputTokens: spec.outputTokens, maxRunning: spec.batch, kvCapacityTokens: kvTokens,
                watermark: constants.kvCacheWatermark)
        }
        workloads[index].capacityPerGPUBytes = capacity
        if needed > capacity {
            let need = "\(Quantity.significant(needed / gibibyte, 3)) GiB"
            let have = "\(Quantity.significant(capacity / gibibyte, 3)) GiB"
            fail(index, reason: "out of memory: needs \(need) per GPU, has \(have)", status: .outOfMemory, requeue: false)
        }
    }

    /// Gives back everything the workload holds.
    mutating func release(_ index: Int) {
        let slots = workloads[index].slots
        guard !slots.isEmpty else { return }
        let nodeNumbers = Array(Set(slots.map { gpus[$0.gpu].node })).sorted()
        let share = Self.hostShare(workloads[index].spec, nodes: nodeNumbers.count)
        for number in nodeNumbers {
            nodes[number].freeCPUCores += share.cores
            nodes[number].freeMemoryBytes += share.bytes
        }
        for slot in slots {
            switch slot.kind {
            case .whole: gpus[slot.gpu].wholeOwner = nil
            case .mig(let position): gpus[slot.gpu].mig[position].owner = nil
            case .mps: gpus[slot.gpu].mps?.removeAll { $0.workload == index }
            }
        }
        workloads[index].slots = []
        workloads[index].node = nil
    }

    /// A workload dies: it loses its requests and its GPUs; its controller restarts it elsewhere unless it was OOM-killed.
    mutating func fail(_ index: Int, reason: String, status: WorkloadStatus = .failed, requeue: Bool = true) {
        if var engine = workloads[index].engine {
            workloads[index].requestsLost += engine.abort()
            workloads[index].engine = engine
        }
        release(index)
        workloads[index].failures.append(reason)
        note("\(workloads[index].spec.name): \(reason)")
        if requeue {
            workloads[index].status = .pending
            workloads[index].restarts += 1
            workloads[index].zombie = false
            _ = place(index)
        } else {
            workloads[index].status = status
        }
    }
}
