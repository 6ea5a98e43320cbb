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
        node.healthy && !node.cordoned && node.freeCPUCores >= share.cores && node.freeMemoryBytes >= share.bytes
    }

    mutating func place(_ index: Int) -> Bool {
        let spec = workloads[index].spec
        let pool = spec.pool.flatMap { name in scenario.pools.firstIndex { $0.name == name } }
        var candidates: [Int] = []
        if let pinned = spec.node.flatMap({ nodeIndex[$0] }) {
            candidates = [pinned]
        } else if spec.sharing != .whole {
            candidates = nodes.indices.filter { pool == nil || nodes[$0].pool == pool }
        }
        var slots: [Slot] = []
        switch spec.sharing {
        case .whole:
            slots = findWholeGPUs(spec, candidates: candidates, pool: pool)
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
                    if gpus[gpu].mpsSMUsed + percent <= 100, gpus[gpu].mpsMemoryUsed + bytes <= gpus[gpu].usableMemoryBytes {
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
    /// of one pool. Unpinned searches start at `wholeHint`: every node before it has no free usable GPU, so placing
    /// many replicas stays linear in the fleet.
    mutating func findWholeGPUs(_ spec: WorkloadSpec, candidates: [Int], pool: Int?) -> [Slot] {
        let count = max(1, spec.gpus)
        let pinned = spec.node != nil
        let first = wholeHint
        for position in 0..<(pinned ? candidates.count : nodes.count - first) {
            let nodeNumber = pinned ? candidates[position] : first + position
            let node = nodes[nodeNumber]
            if let pool, node.pool != pool { continue }
            if nodeNumber == wholeHint, node.gpuRange.allSatisfy({ !gpus[$0].isUsable || !gpus[$0].isFree }) { wholeHint += 1 }
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
        for (poolNumber, candidatePool) in scenario.pools.enumerated() where pool == nil || pool == poolNumber {
            guard case .whole = candidatePool.sharing, count > candidatePool.gpusPerNode else { continue }
            let needed = (count + candidatePool.gpusPerNode - 1) / candidatePool.gpusPerNode
            let share = Self.hostShare(spec, nodes: needed)
            let fitting = (pinned ? candidates : Array(nodes.indices)).filter { number in
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
        case .whole: capacity = gpu.usableMemoryBytes
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
            // Mixed-precision Adam, sharded (ZeRO-3/FSDP): 16 bytes per parameter over the devices. Activations with
            // full recompute: the bf16 input of every layer (2·s·b·h·L bytes) plus one layer's working set
            // (34·s·b·h, Korthikanti et al. 2022), for a micro-batch of at most 8,192 tokens per GPU (gradient
            // accumulation covers the rest of the batch).
            let tokens = min(8_192, Double(spec.batch * spec.sequence) / devices)
            let hidden = Double(model.architecture.hiddenSize)
            let activations = tokens * hidden * (2 * Double(model.architecture.layers) + 34)
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
                watermark: constants.kvCacheWatermark, timeoutSeconds: constants.requestTimeoutSeconds)
        }
        workloads[index].capacityPerGPUBytes = capacity
        workloads[index].profile = ModelProfile(model, precision: spec.precision, devices: workload.slots.count)
        workloads[index].context = baseContext(index)
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
            case .whole:
                gpus[slot.gpu].wholeOwner = nil
                wholeHint = min(wholeHint, gpus[slot.gpu].node)
            case .mig(let position): gpus[slot.gpu].mig[position].owner = nil
            case .mps: gpus[slot.gpu].mps?.removeAll { $0.workload == index }
            }
        }
        workloads[index].slots = []
        workloads[index].context = nil
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
