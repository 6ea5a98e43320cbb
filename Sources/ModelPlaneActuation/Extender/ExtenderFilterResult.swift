public import ModelPlaneCore

/// An extender's answer to `filter`: the nodes that passed (as Node objects or as names, the way they were sent),
/// the nodes that failed with why, those where preemption would not help either, and an error for the whole call.
public struct ExtenderFilterResult: ExtenderMessage, Equatable {
    public static let goTypeName = "ExtenderFilterResult"

    public var nodes: KubeNodeList?
    public var nodeNames: [String]?
    /// Node name → why it failed (`FailedNodesMap`); nil is written as `null`.
    public var failedNodes: [String: String]?
    /// Nodes that failed in a way preemption cannot fix.
    public var failedAndUnresolvableNodes: [String: String]?
    /// Non-empty: the call failed as a whole.
    public var error: String

    public init(
        nodes: KubeNodeList? = nil, nodeNames: [String]? = nil, failedNodes: [String: String]? = nil,
        failedAndUnresolvableNodes: [String: String]? = nil, error: String = ""
    ) {
        self.nodes = nodes
        self.nodeNames = nodeNames
        self.failedNodes = failedNodes
        self.failedAndUnresolvableNodes = failedAndUnresolvableNodes
        self.error = error
    }

    /// The answer to `args` when `passes` says which candidates pass: the passing nodes echoed in the form they came
    /// (whole objects, byte for byte, or names), the others under `FailedNodes` with their reason.
    public static func filtering(_ args: ExtenderArgs, reasons: (String) -> String?) -> ExtenderFilterResult {
        var failed: [String: String] = [:]
        let nodes = args.nodes?.filter { node in
            guard let reason = reasons(node.name) else { return true }
            failed[node.name] = reason
            return false
        }
        let names = args.nodeNames?.filter { name in
            guard let reason = reasons(name) else { return true }
            failed[name] = reason
            return false
        }
        return ExtenderFilterResult(nodes: nodes, nodeNames: names, failedNodes: failed)
    }

    public static func decode(_ text: String, options: ExtenderDecodingOptions) throws(InputError) -> ExtenderFilterResult {
        let fields = try rootFields(text, options)
        return ExtenderFilterResult(
            nodes: try fields["Nodes"].map { nodes throws(InputError) in try KubeNodeList(nodes) },
            nodeNames: try fields["NodeNames"]?.goStringArray(), failedNodes: try fields["FailedNodes"]?.goStringMap(),
            failedAndUnresolvableNodes: try fields["FailedAndUnresolvableNodes"]?.goStringMap(), error: try fields["Error"]?.goString() ?? "")
    }

    public func jsonText() -> String {
        GoJSON.object([
            ("Nodes", nodes?.jsonText() ?? "null"),
            ("NodeNames", GoJSON.stringArray(nodeNames)),
            ("FailedNodes", GoJSON.stringMap(failedNodes)),
            ("FailedAndUnresolvableNodes", GoJSON.stringMap(failedAndUnresolvableNodes)),
            ("Error", GoJSON.string(error)),
        ])
    }
}
