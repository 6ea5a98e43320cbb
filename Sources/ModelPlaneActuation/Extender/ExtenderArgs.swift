public import ModelPlaneCore

/// What kube-scheduler sends to an extender's `filter` and `prioritize` verbs: the pod and its candidate nodes,
/// as whole Node objects (`Nodes`, when the extender is not `nodeCacheCapable`) or names (`NodeNames`).
public struct ExtenderArgs: ExtenderMessage, Equatable {
    public static let goTypeName = "ExtenderArgs"

    public var pod: KubePod
    public var nodes: KubeNodeList?
    public var nodeNames: [String]?

    public init(pod: KubePod, nodes: KubeNodeList? = nil, nodeNames: [String]? = nil) {
        self.pod = pod
        self.nodes = nodes
        self.nodeNames = nodeNames
    }

    /// The candidates' names: `NodeNames` when sent, else the names of `Nodes`.
    public var candidateNodeNames: [String] { nodeNames ?? nodes?.names ?? [] }

    public static func decode(_ text: String, options: ExtenderDecodingOptions) throws(InputError) -> ExtenderArgs {
        let fields = try rootFields(text, options)
        guard let pod = fields["Pod"] else { throw InputError("\(goTypeName).Pod", "is missing", expected: "the Pod being scheduled") }
        return ExtenderArgs(
            pod: try KubePod(pod.raw, path: pod.path), nodes: try fields["Nodes"].map { nodes throws(InputError) in try KubeNodeList(nodes) },
            nodeNames: try fields["NodeNames"]?.goStringArray())
    }

    public func jsonText() -> String {
        GoJSON.object([
            ("Pod", pod.raw.text),
            ("Nodes", nodes?.jsonText() ?? "null"),
            ("NodeNames", GoJSON.stringArray(nodeNames)),
        ])
    }
}
