/// A filter's verdict on one node (or one GPU of it).
public enum FilterVerdict: Sendable, Equatable {
    case pass
    /// Why not. `resolvable`: preempting or moving workloads could change the answer (kube-scheduler's
    /// FailedNodes); otherwise nothing the scheduler does will (FailedAndUnresolvableNodes).
    case fail(String, resolvable: Bool)
}

/// A node-level filter: a small pure check of one request against one node. The reason is written only when
/// `explain` is set (for the trace and the reasons); the engine's scan runs without it.
public protocol NodeFilter: Sendable {
    var name: String { get }
    func check(_ request: PlacementRequest, _ node: PlacementNode, explain: Bool) -> FilterVerdict
    /// False when the verdict depends only on the node's state (`PlacementNode.stateKey`), not on which node it is:
    /// nodes in the same state are then evaluated once.
    func usesNodeIdentity(for request: PlacementRequest) -> Bool
}

extension NodeFilter {
    public func usesNodeIdentity(for request: PlacementRequest) -> Bool { true }
}

/// A GPU-level filter: the request's need on one GPU of a node. A node passes when enough of its GPUs pass every
/// GPU filter.
public protocol GPUFilter: Sendable {
    var name: String { get }
    func check(_ request: PlacementRequest, _ gpu: PlacementGPU, on node: PlacementNode, _ context: PlacementContext, explain: Bool) -> FilterVerdict
}

/// Where on a node a request would go: the GPUs, the MIG slot, and whether the node needs changing first.
public struct GPUChoice: Sendable, Equatable {
    /// Positions in `node.gpus`.
    public var gpus: [Int]
    /// The MIG slot of `gpus[0]` for a MIG request.
    public var migSlot: Int?
    /// The GPU is idle on a node where MPS is not enabled: taking it as an MPS share needs a graceful
    /// reconfiguration of the node first (executed by the reconfiguration workflow, not here).
    public var needsMPSReconfiguration: Bool

    public init(gpus: [Int], migSlot: Int? = nil, needsMPSReconfiguration: Bool = false) {
        self.gpus = gpus
        self.migSlot = migSlot
        self.needsMPSReconfiguration = needsMPSReconfiguration
    }
}

/// One plugin's score of one choice: the raw measure in its own unit, normalized to 0…100 (higher is better).
public struct PluginScore: Sendable, Equatable {
    public var raw: Double
    public var normalized: Int
    /// What the raw value is, for the trace ("Δfrag +190 milli-GPU").
    public var note: String

    public init(raw: Double, normalized: Int, note: String) {
        self.raw = raw
        self.normalized = max(0, min(100, normalized))
        self.note = note
    }

    /// The same for every node: the plugin has nothing to say about this request.
    public static func neutral(_ note: @autoclosure () -> String, _ explain: Bool) -> PluginScore {
        PluginScore(raw: 0, normalized: 50, note: explain ? note() : "")
    }
}

/// A score plugin: how good one choice is for one request, in 0…100. The note is written only when `explain` is set.
public protocol ScorePlugin: Sendable {
    var name: String { get }
    func score(_ request: PlacementRequest, _ node: PlacementNode, _ choice: GPUChoice, _ context: PlacementContext, explain: Bool) -> PluginScore
    /// True when the plugin scores every node the same for this request (it is then skipped while ranking, not in
    /// the trace): a preference the request does not state, a fact no node reports.
    func isConstant(for request: PlacementRequest, _ context: PlacementContext) -> Bool
    /// False when the score depends only on the node's state (`PlacementNode.stateKey`) and the request.
    func usesNodeIdentity(for request: PlacementRequest) -> Bool
    /// False when the score is the same for every choice on one node (it reads the node, not the GPUs chosen): it
    /// is then computed once per node.
    var readsChoice: Bool { get }
}

extension ScorePlugin {
    public func isConstant(for request: PlacementRequest, _ context: PlacementContext) -> Bool { false }
    public func usesNodeIdentity(for request: PlacementRequest) -> Bool { true }
    public var readsChoice: Bool { true }
}

/// Scores weighed together. Tiers rank lexicographically: a later tier only decides among choices an earlier
/// tier scores equal (topology dominates fragmentation, which dominates consolidation).
public struct ScoreTier: Sendable {
    public struct Entry: Sendable {
        public var plugin: any ScorePlugin
        public var weight: Int

        public init(_ plugin: any ScorePlugin, weight: Int) {
            self.plugin = plugin
            self.weight = weight
        }
    }

    public var name: String
    public var entries: [Entry]

    public init(name: String, entries: [Entry]) {
        self.name = name
        self.entries = entries
    }
}

/// What every plugin may read besides the request and the node: fleet-wide facts computed once per snapshot.
public final class PlacementContext {
    public let fragmentation: FragmentationCache
    public private(set) var racks: [String: RackPower]
    /// The best TFLOP/s per watt in the fleet (efficiency is scored against it).
    public private(set) var bestTFLOPSPerWatt: Double?
    /// Some GPU reports SM activity.
    public private(set) var observesActivity = false
    public let classification: ClassificationPolicy

    public init(snapshot: FleetSnapshot, classification: ClassificationPolicy = ClassificationPolicy()) {
        fragmentation = FragmentationCache(snapshot.shapes)
        self.classification = classification
        racks = snapshot.racks
        bestTFLOPSPerWatt = snapshot.nodes.compactMap(\.tflopsPerWatt).max()
        observesActivity = snapshot.nodes.contains { $0.gpus.contains { $0.smActivity != nil } }
    }

    /// Refreshes the fleet-wide facts for a new snapshot, keeping cached fragmentation when the shapes are the same.
    public func update(_ snapshot: FleetSnapshot) {
        fragmentation.reset(snapshot.shapes)
        racks = snapshot.racks
        var best: Double?
        var activity = false
        for index in snapshot.nodes.indices {
            if let value = snapshot.nodes[index].tflopsPerWatt { best = max(best ?? value, value) }
            if !activity, snapshot.nodes[index].observesActivity { activity = true }
        }
        (bestTFLOPSPerWatt, observesActivity) = (best, activity)
    }
}
