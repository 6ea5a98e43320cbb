/// Why a decision came out as it did: per node and plugin, the verdict, reason, raw and weighted score, and the
/// winner.
public struct DecisionTrace: Sendable, Equatable {
    public struct Score: Sendable, Equatable {
        public var plugin: String
        public var tier: String
        public var raw: Double
        public var normalized: Int
        public var weight: Int
        public var weighted: Int
        public var note: String
    }

    public struct Node: Sendable, Equatable {
        public var node: String
        /// Nil when every filter passed.
        public var failedFilter: String?
        public var reason: String?
        public var resolvable: Bool
        /// GPU indices of the best choice on the node.
        public var gpus: [Int]
        public var scores: [Score]
        /// Weighted total per tier, most important first.
        public var tierTotals: [Int]
        public var winner: Bool
    }

    /// Problems with the request itself (checked before any node).
    public var requestProblems: [String] = []
    public var nodes: [Node] = []
    /// Filter failures counted by "plugin: reason" across every node (reasons with numbers vary; counted by plugin
    /// in `failuresByPlugin`).
    public var failuresByPlugin: [String: Int] = [:]
    public var evaluatedNodes = 0
    public var feasibleNodes = 0
    public var winner: String?
    /// The decision path that placed the request: "A (direct)", "B (repack)" or "C (preempting)"; nil when not placed.
    public var path: String?

    public init() {}

    /// The trace as text, for `modelplane place`.
    public func text() -> String {
        var lines: [String] = []
        lines.append(
            "evaluated \(evaluatedNodes) nodes, \(feasibleNodes) feasible as they are"
                + (winner.map { ", winner \($0)" + (path.map { " by path \($0)" } ?? "") } ?? ""))
        for problem in requestProblems { lines.append("request: \(problem)") }
        for (plugin, count) in failuresByPlugin.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            lines.append("filtered by \(plugin): \(count) node\(count == 1 ? "" : "s")")
        }
        for node in nodes {
            if let filter = node.failedFilter {
                lines.append("  \(node.node): ✗ \(filter): \(node.reason ?? "")\(node.resolvable ? " (resolvable)" : "")")
                continue
            }
            let mark = node.winner ? "★" : "✓"
            lines.append("  \(node.node): \(mark) GPUs \(node.gpus) tiers \(node.tierTotals)")
            for score in node.scores {
                lines.append("      \(score.tier)/\(score.plugin): \(score.normalized) × \(score.weight) = \(score.weighted)  (\(score.note))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
