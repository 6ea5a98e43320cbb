#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fragmentation gradient descent (Weng et al., USENIX ATC'23): how much the node's fragmentation grows, against the
/// fleet's task-shape distribution, if the choice is taken. Raw: Δ in GPU thousandths (negative when the choice
/// fills a hole). Normalized as the paper's artifact scores it, ⌊100·σ(−Δ/1000)⌋: a Δ of 0 scores 50, +190 scores
/// 45, −160 scores 53.
///
/// The integer levels are kept on purpose. Measured on the Alibaba trace (seeds 42–43), exact Δ with ties to the
/// first node left 5.85 % of GPUs unallocated at 100 % arrived against 4.87 % with the integer levels: the levels
/// leave near-equal choices tied, and the consolidation tier then packs them (docs/placement.md).
public struct FragmentationScore: ScorePlugin {
    public let name = "fragmentation"
    public init() {}

    public func usesNodeIdentity(for request: PlacementRequest) -> Bool { false }

    public func score(_ request: PlacementRequest, _ node: PlacementNode, _ choice: GPUChoice, _ context: PlacementContext, explain: Bool)
        -> PluginScore
    {
        guard request.sharing != .mig, !context.fragmentation.distribution.shapes.isEmpty else {
            return .neutral(request.sharing == .mig ? "MIG slots are placed by profile" : "no task shapes observed", explain)
        }
        let delta = Self.delta(request, node, choice, context.fragmentation)
        return PluginScore(
            raw: delta, normalized: Int(1 / (1 + exp(delta / 1_000)) * 100),
            note: explain ? "Δfrag \(delta >= 0 ? "+" : "")\(Int(delta.rounded())) milli-GPU" : "")
    }

    /// Fragmentation after minus before, in GPU thousandths.
    public static func delta(_ request: PlacementRequest, _ node: PlacementNode, _ choice: GPUChoice, _ cache: FragmentationCache) -> Double {
        cache.delta(node, positions: choice.gpus, milli: request.gpuMilli, cpuMilli: request.cpuMilli)
    }
}

/// Packing: a node already running work before an idle one, so idle nodes stay whole for large requests.
public struct ConsolidationScore: ScorePlugin {
    public let name = "consolidation"
    public init() {}

    public var readsChoice: Bool { false }

    public func usesNodeIdentity(for request: PlacementRequest) -> Bool { false }

    public func score(_ request: PlacementRequest, _ node: PlacementNode, _ choice: GPUChoice, _ context: PlacementContext, explain: Bool)
        -> PluginScore
    {
        node.isIdle
            ? PluginScore(raw: 0, normalized: 0, note: explain ? "idle node" : "")
            : PluginScore(raw: 1, normalized: 100, note: explain ? "node already in use" : "")
    }
}
