import ModelPlaneCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The placement policies the ATC'23 paper compares, scored as its artifact scores them: integer scores (their
/// truncation decides which nodes tie), the best score wins, ties broken uniformly at random.
public enum ArrivalPolicy: String, Sendable, CaseIterable {
    case random
    case dotProduct = "dotprod"
    case clustering
    case packing
    case bestFit = "bestfit"
    case fgd
    /// ModelPlane's placement engine (`PlacementPolicy.standard`).
    case modelplane

    /// The six policies of the paper (everything but ModelPlane's own).
    public static var baselines: [ArrivalPolicy] { allCases.filter { $0 != .modelplane } }

    /// The paper's name for the policy (its figures' legend).
    public var paperName: String {
        switch self {
        case .random: "Random"
        case .dotProduct: "DotProd"
        case .clustering: "Clustering"
        case .packing: "Packing"
        case .bestFit: "BestFit"
        case .fgd: "FGD"
        case .modelplane: "ModelPlane"
        }
    }
}

/// Scores for one task over the feasible nodes; the normalization some policies need spans all of them.
struct PolicyScorer {
    static let maximumCPU = 128_000.0
    static let maximumGPU = 8_000.0

    let policy: ArrivalPolicy
    let workload: TargetWorkload
    /// Fragmentation of a node state (model, free CPU, free GPUs as a multiset), shared by every node in that state:
    /// Core's cache, the one the placement engine uses.
    private let cache: FragmentationCache

    init(policy: ArrivalPolicy, workload: TargetWorkload) {
        self.policy = policy
        self.workload = workload
        cache = FragmentationCache(workload.distribution)
    }

    /// The score of `node` for `task`, and for FGD the GPU a sharing task would take there.
    mutating func score(_ task: ShareTask, on node: ShareNode, fragmentation current: Double) -> (score: Int, gpu: Int?) {
        switch policy {
        case .random: return (0, nil)
        case .dotProduct:
            let dot =
                Double(node.cpuLeft) / Self.maximumCPU * Double(task.cpuMilli) / Self.maximumCPU + Double(node.gpuMilliLeft) / Self.maximumGPU
                * Double(task.totalGPUMilli) / Self.maximumGPU
            return (Int(100 * (1 - dot / 2)), nil)
        case .clustering: return (Self.clusteringScore(task, node), nil)
        case .packing: return (Self.packingScore(task, node), nil)
        case .bestFit:
            let raw =
                0.5 * Double(node.cpuLeft - task.cpuMilli) / Self.maximumCPU + 0.5 * Double(node.gpuMilliLeft - task.totalGPUMilli) / Self.maximumGPU
            return (Int((1 - raw) * 100), nil)
        case .fgd, .modelplane: return fgdScore(task, node, current)
        }
    }

    /// GPU clustering: a node already running only this kind of GPU task is best, then one running it among
    /// others, then an empty one, then the rest; a quarter of the score rewards a fuller node.
    static func clusteringScore(_ task: ShareTask, _ node: ShareNode) -> Int {
        guard !task.isCPUOnly else { return 0 }
        let base = 25 * (8_000 - node.gpuMilliLeft) / 8_000
        let kind = ShareNode.kind(of: task)
        if node.gpuTaskKinds[kind, default: 0] > 0 { return base + (node.gpuTaskKinds.count == 1 ? 75 : 50) }
        return node.gpuTaskKinds.isEmpty ? base + 25 : base
    }

    /// GPU packing: partially used GPUs first, then nodes with some idle GPUs, idle nodes last.
    static func packingScore(_ task: ShareTask, _ node: ShareNode) -> Int {
        guard !task.isCPUOnly else { return 0 }
        let idle = node.idleGPUs
        if idle == node.gpuCount { return max(33 - idle, idle) }
        let taken = node.fullestFittingGPUs(for: task)
        let wholeIdle = taken.count { node.gpuLeft[$0] == ShareNode.gpuMilli }
        if wholeIdle > 0 { return max(50 - wholeIdle, 33) }
        let sum = taken.reduce(0) { $0 + node.gpuLeft[$1] * 100 / 1_000 }
        return max(100 - sum / 10, 50)
    }

    /// Fragmentation gradient descent: the node (and GPU) whose fragmentation grows least, as
    /// ⌊100·σ(−Δ/1000)⌋ with Δ in GPU thousandths.
    private mutating func fgdScore(_ task: ShareTask, _ node: ShareNode, _ current: Double) -> (score: Int, gpu: Int?) {
        // σ first, then ×100, truncated: the artifact's order of operations, so equal values truncate alike.
        func score(_ after: Double) -> Int { Int(1 / (1 + exp(-(current - after) / 1_000)) * 100) }
        if task.isSharing {
            var best: (score: Int, gpu: Int?) = (0, nil)
            var tried: [Int] = []
            for (gpu, left) in node.gpuLeft.enumerated() where left >= task.gpuMilli {
                if tried.contains(left) { continue }  // an equal GPU gives the same result; the lower index keeps it
                tried.append(left)
                var gpus = node.gpuLeft
                gpus[gpu] -= task.gpuMilli
                let value = score(fragmentation(cpuLeft: node.cpuLeft - task.cpuMilli, gpuLeft: gpus, model: node.model))
                if best.gpu == nil || value > best.score { best = (value, gpu) }
            }
            return best
        }
        var gpus = node.gpuLeft
        for gpu in node.fullestFittingGPUs(for: task) { gpus[gpu] -= task.gpuMilli }
        return (score(fragmentation(cpuLeft: node.cpuLeft - task.cpuMilli, gpuLeft: gpus, model: node.model)), nil)
    }

    func fragmentation(cpuLeft: Int, gpuLeft: [Int], model: String?) -> Double {
        cache.value(cpuFreeMilli: cpuLeft, freeMilli: gpuLeft, gpuType: model)
    }
}
