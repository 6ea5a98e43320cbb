/// How much of a decision's reasoning to keep.
public enum TraceLevel: Sendable, Equatable {
    /// Every node: its filter verdict, every plugin's raw, normalized and weighted score.
    case full
    /// Filter failures counted by plugin and reason, and the best `top` nodes in full.
    case summary(top: Int)
}

/// The filters, the score tiers with their weights, and the decision paths a placement engine uses.
public struct PlacementPolicy: Sendable {
    public var nodeFilters: [any NodeFilter]
    public var gpuFilters: [any GPUFilter]
    public var tiers: [ScoreTier]
    public var trace: TraceLevel
    /// Path B: at most this many running workloads moved to make room for one request (0 disables repacking).
    public var maxMigrationsPerPlacement: Int
    /// Path C: lower-priority workloads may be preempted (never P0/P1 by anything of lower priority).
    public var preemption: Bool
    /// How many feasible nodes a decision scores before it stops looking (kube-scheduler's
    /// `percentageOfNodesToScore`): every node up to `fullScanUpTo` nodes; on larger fleets the first
    /// max(`minimumScored`, `percentScored` % of the fleet) feasible nodes in node order.
    public var fullScanUpTo = 5_000
    public var minimumScored = 500
    public var percentScored = 5
    /// Whether an idle GPU on a node without MPS may be proposed for a share (a graceful reconfiguration). When
    /// not (an MPS configuration conflict), a share that fits only there takes a whole GPU instead.
    public var mpsReconfigurationAllowed = true

    /// - Parameter tiers: at most four.
    public init(
        nodeFilters: [any NodeFilter], gpuFilters: [any GPUFilter], tiers: [ScoreTier], trace: TraceLevel = .summary(top: 5),
        maxMigrationsPerPlacement: Int = 0, preemption: Bool = true
    ) {
        precondition(tiers.count <= 4, "at most four score tiers")
        self.nodeFilters = nodeFilters
        self.gpuFilters = gpuFilters
        self.tiers = tiers
        self.trace = trace
        self.maxMigrationsPerPlacement = maxMigrationsPerPlacement
        self.preemption = preemption
    }

    /// ModelPlane's default. Tiers, most important first:
    /// 1. topology — a multi-GPU job's NVLink domain outranks everything (a split job loses more than packing gains);
    /// 2. placement — fragmentation ×10, GPU-type affinity ×3, MPS compatibility ×2, data locality ×2, efficiency,
    ///    utilization headroom and power headroom ×1, summed;
    /// 3. consolidation — among equals, a node already in use before an idle one.
    public static let standard = PlacementPolicy(
        nodeFilters: [NodeHealthFilter(), GPUTypeFilter(), CPUMemoryFilter(), AntiAffinityFilter()],
        gpuFilters: [GPUHealthFilter(), GPUShareFilter(), MIGAvailabilityFilter(), GPUMemoryFilter()],
        tiers: [
            ScoreTier(name: "topology", entries: [.init(TopologyScore(), weight: 1)]),
            ScoreTier(
                name: "placement",
                entries: [
                    .init(FragmentationScore(), weight: 10), .init(GPUTypeAffinityScore(), weight: 3), .init(MPSCompatibilityScore(), weight: 2),
                    .init(DataLocalityScore(), weight: 2), .init(EfficiencyScore(), weight: 1), .init(UtilizationHeadroomScore(), weight: 1),
                    .init(PowerHeadroomScore(), weight: 1),
                ]),
            ScoreTier(name: "consolidation", entries: [.init(ConsolidationScore(), weight: 1)]),
        ])

    /// The policy with one plugin's weight changed; an unknown name or a negative weight is an error.
    public func settingWeight(_ name: String, to weight: Int) throws(InputError) -> PlacementPolicy {
        guard weight >= 0 else { throw InputError("weight of \(name)", "\(weight)", expected: "0 or more") }
        var copy = self
        for tier in copy.tiers.indices {
            if let entry = copy.tiers[tier].entries.firstIndex(where: { $0.plugin.name == name }) {
                copy.tiers[tier].entries[entry].weight = weight
                return copy
            }
        }
        let known = tiers.flatMap { $0.entries.map(\.plugin.name) }
        throw InputError("score plugin", "\"\(name)\"", expected: "one of \(known.joined(separator: ", "))")
    }
}
