import ModelPlaneCore

/// One node of a GPU-sharing cluster as the arrival protocol sees it: free CPU and memory, and the free thousandths
/// of each GPU (1000 = idle).
public struct ShareNode: Sendable, Hashable {
    public static let gpuMilli = 1000

    public let name: String
    public let model: String?
    public let cpuCapacity: Int
    public let memoryCapacity: Int
    public private(set) var cpuLeft: Int
    public private(set) var memoryLeft: Int
    public private(set) var gpuLeft: [Int]
    /// GPU tasks on the node by kind ("share-gpu", "1-gpu", "8-gpu"…), for GPU clustering.
    public private(set) var gpuTaskKinds: [String: Int] = [:]

    public init(_ node: TraceNode) {
        name = node.name
        model = node.gpuModel
        cpuCapacity = node.cpuMilli
        memoryCapacity = node.memoryMiB
        cpuLeft = node.cpuMilli
        memoryLeft = node.memoryMiB
        gpuLeft = [Int](repeating: Self.gpuMilli, count: node.gpuCount)
    }

    public var gpuCount: Int { gpuLeft.count }
    public var gpuMilliLeft: Int { gpuLeft.reduce(0, +) }
    public var idleGPUs: Int { gpuLeft.count { $0 == Self.gpuMilli } }

    /// CPU, memory, GPU model, and the GPUs: a sharing task needs one GPU with room for its share, a whole-GPU
    /// task `gpuCount` idle GPUs.
    public func fits(_ task: ShareTask) -> Bool {
        guard task.cpuMilli <= cpuLeft, task.memoryMiB <= memoryLeft else { return false }
        guard !task.isCPUOnly else { return true }
        guard gpuCount > 0, task.accepts(model: model) else { return false }
        return gpuLeft.count { $0 >= task.gpuMilli } >= task.gpuCount
    }

    /// The GPUs a task takes when the placement does not choose: sharing tasks the fullest GPU with room (lowest
    /// index among equals); whole-GPU tasks the lowest-index idle GPUs.
    public func bestFitGPUs(for task: ShareTask) -> [Int] {
        guard !task.isCPUOnly else { return [] }
        if task.isSharing {
            var chosen: Int?
            for (index, left) in gpuLeft.enumerated() where left >= task.gpuMilli {
                if chosen == nil || left < gpuLeft[chosen!] { chosen = index }
            }
            return chosen.map { [$0] } ?? []
        }
        return Array(gpuLeft.indices.filter { gpuLeft[$0] >= task.gpuMilli }.prefix(task.gpuCount))
    }

    /// The GPUs a task would take counting from the fullest: free capacity ascending (lower index first among
    /// equals), those with room for its share, up to its GPU count. How the artifact's packing score and
    /// `NodeResource.Sub` (FGD's look-ahead) take devices.
    public func fullestFittingGPUs(for task: ShareTask) -> [Int] {
        guard !task.isCPUOnly else { return [] }
        let order = gpuLeft.indices.sorted { gpuLeft[$0] != gpuLeft[$1] ? gpuLeft[$0] < gpuLeft[$1] : $0 < $1 }
        return Array(order.filter { task.gpuMilli <= gpuLeft[$0] }.prefix(task.gpuCount))
    }

    /// The node after placing `task` on `gpus`.
    public mutating func place(_ task: ShareTask, on gpus: [Int]) {
        precondition(task.cpuMilli <= cpuLeft && task.memoryMiB <= memoryLeft, "placing \(task) on \(name) overcommits it")
        cpuLeft -= task.cpuMilli
        memoryLeft -= task.memoryMiB
        for gpu in gpus {
            precondition(gpuLeft[gpu] >= task.gpuMilli, "GPU \(gpu) of \(name) has \(gpuLeft[gpu]) left, not \(task.gpuMilli)")
            gpuLeft[gpu] -= task.gpuMilli
        }
        if !task.isCPUOnly { gpuTaskKinds[Self.kind(of: task), default: 0] += 1 }
    }

    /// The node after `task`, placed on `gpus`, leaves.
    public mutating func remove(_ task: ShareTask, from gpus: [Int]) {
        cpuLeft = min(cpuCapacity, cpuLeft + task.cpuMilli)
        memoryLeft = min(memoryCapacity, memoryLeft + task.memoryMiB)
        for gpu in gpus { gpuLeft[gpu] = min(Self.gpuMilli, gpuLeft[gpu] + task.gpuMilli) }
        if !task.isCPUOnly {
            let kind = Self.kind(of: task)
            gpuTaskKinds[kind, default: 1] -= 1
            if gpuTaskKinds[kind] == 0 { gpuTaskKinds[kind] = nil }
        }
    }

    static func kind(of task: ShareTask) -> String {
        task.isCPUOnly ? "no-gpu" : task.isSharing ? "share-gpu" : "\(task.gpuCount)-gpu"
    }

    // MARK: fragmentation

    /// Weng et al.'s fragmentation of this node against the target workload, in GPU thousandths: for each shape,
    /// the free GPU capacity that shape could not use (all of it when the shape cannot run here at all; the
    /// partial GPUs too small for its share when it can), weighted by the shape's popularity.
    public func fragmentation(_ workload: TargetWorkload) -> Double {
        Self.fragmentation(cpuLeft: cpuLeft, gpuLeft: gpuLeft, model: model, workload)
    }

    static func fragmentation(cpuLeft: Int, gpuLeft: [Int], model: String?, _ workload: TargetWorkload) -> Double {
        Fragmentation.of(cpuFreeMilli: cpuLeft, freeMilli: gpuLeft, gpuType: model, workload.distribution)
    }
}
