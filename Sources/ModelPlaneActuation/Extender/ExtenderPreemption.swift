public import ModelPlaneCore

/// What kube-scheduler sends to an extender's `preempt` verb: the pod, and per node the pods preemption would evict
/// (whole Pod objects in `NodeNameToVictims`, or only their UIDs in `NodeNameToMetaVictims` when the extender is
/// `nodeCacheCapable`).
public struct ExtenderPreemptionArgs: ExtenderMessage, Equatable {
    public static let goTypeName = "ExtenderPreemptionArgs"

    public var pod: KubePod
    public var nodeNameToVictims: [String: Victims]?
    public var nodeNameToMetaVictims: [String: MetaVictims]?

    public init(pod: KubePod, nodeNameToVictims: [String: Victims]? = nil, nodeNameToMetaVictims: [String: MetaVictims]? = nil) {
        self.pod = pod
        self.nodeNameToVictims = nodeNameToVictims
        self.nodeNameToMetaVictims = nodeNameToMetaVictims
    }

    public static func decode(_ text: String, options: ExtenderDecodingOptions) throws(InputError) -> ExtenderPreemptionArgs {
        let fields = try rootFields(text, options)
        guard let pod = fields["Pod"] else { throw InputError("\(goTypeName).Pod", "is missing", expected: "the Pod being scheduled") }
        return ExtenderPreemptionArgs(
            pod: try KubePod(pod.raw, path: pod.path),
            nodeNameToVictims: try fields["NodeNameToVictims"].map { map throws(InputError) in try decodeMap(map, Victims.init) },
            nodeNameToMetaVictims: try fields["NodeNameToMetaVictims"].map { map throws(InputError) in try decodeMap(map, MetaVictims.init) })
    }

    public func jsonText() -> String {
        GoJSON.object([
            ("Pod", pod.raw.text),
            ("NodeNameToVictims", GoJSON.map(nodeNameToVictims?.mapValues { $0.jsonText() })),
            ("NodeNameToMetaVictims", GoJSON.map(nodeNameToMetaVictims?.mapValues { $0.jsonText() })),
        ])
    }
}

/// An extender's answer to `preempt`: per node, the victims it agrees to (by UID).
public struct ExtenderPreemptionResult: ExtenderMessage, Equatable {
    public static let goTypeName = "ExtenderPreemptionResult"

    public var nodeNameToMetaVictims: [String: MetaVictims]?

    public init(nodeNameToMetaVictims: [String: MetaVictims]? = nil) { self.nodeNameToMetaVictims = nodeNameToMetaVictims }

    public static func decode(_ text: String, options: ExtenderDecodingOptions) throws(InputError) -> ExtenderPreemptionResult {
        let fields = try rootFields(text, options)
        return ExtenderPreemptionResult(
            nodeNameToMetaVictims: try fields["NodeNameToMetaVictims"].map { map throws(InputError) in try decodeMap(map, MetaVictims.init) })
    }

    public func jsonText() -> String {
        GoJSON.object([("NodeNameToMetaVictims", GoJSON.map(nodeNameToMetaVictims?.mapValues { $0.jsonText() }))])
    }
}
