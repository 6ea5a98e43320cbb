public import ModelPlaneCore

/// What kube-scheduler sends to an extender's `bind` verb: the pod and the node chosen for it.
public struct ExtenderBindingArgs: ExtenderMessage, Equatable {
    public static let goTypeName = "ExtenderBindingArgs"

    public var podName: String
    public var podNamespace: String
    public var podUID: String
    public var node: String

    public init(podName: String, podNamespace: String, podUID: String, node: String) {
        self.podName = podName
        self.podNamespace = podNamespace
        self.podUID = podUID
        self.node = node
    }

    /// `PodName` and `Node` are required (a binding without them binds nothing); the others may be empty.
    public static func decode(_ text: String, options: ExtenderDecodingOptions) throws(InputError) -> ExtenderBindingArgs {
        let fields = try rootFields(text, options)
        let args = ExtenderBindingArgs(
            podName: try fields["PodName"]?.goString() ?? "", podNamespace: try fields["PodNamespace"]?.goString() ?? "",
            podUID: try fields["PodUID"]?.goString() ?? "", node: try fields["Node"]?.goString() ?? "")
        guard !args.podName.isEmpty else { throw InputError("\(goTypeName).PodName", "is missing or empty", expected: "the pod's name") }
        guard !args.node.isEmpty else { throw InputError("\(goTypeName).Node", "is missing or empty", expected: "the node's name") }
        return args
    }

    public func jsonText() -> String {
        GoJSON.object([
            ("PodName", GoJSON.string(podName)),
            ("PodNamespace", GoJSON.string(podNamespace)),
            ("PodUID", GoJSON.string(podUID)),
            ("Node", GoJSON.string(node)),
        ])
    }
}

/// An extender's answer to `bind`: empty `Error` when the binding was made.
public struct ExtenderBindingResult: ExtenderMessage, Equatable {
    public static let goTypeName = "ExtenderBindingResult"

    public var error: String

    public init(error: String = "") { self.error = error }

    public static func decode(_ text: String, options: ExtenderDecodingOptions) throws(InputError) -> ExtenderBindingResult {
        ExtenderBindingResult(error: try rootFields(text, options)["Error"]?.goString() ?? "")
    }

    public func jsonText() -> String { GoJSON.object([("Error", GoJSON.string(error))]) }
}
