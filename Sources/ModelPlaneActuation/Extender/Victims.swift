import ModelPlaneCore

/// The pods preemption would evict on one node, and how many PodDisruptionBudgets that would violate.
public struct Victims: Sendable, Equatable {
    /// nil is written `null` (a Go nil slice).
    public var pods: [KubePod]?
    public var numPDBViolations: Int

    public init(pods: [KubePod]?, numPDBViolations: Int = 0) {
        self.pods = pods
        self.numPDBViolations = numPDBViolations
    }

    init(_ node: JSONNode) throws(InputError) {
        let fields = try node.goFields("Victims")
        var pods: [KubePod]?
        if let list = fields["Pods"] {
            pods = []
            for element in try list.elements(expected: "a list of Pod objects") {
                guard !element.isNull else { throw element.kindError(expected: "a Pod object") }
                pods?.append(try KubePod(element.raw, path: element.path))
            }
        }
        self.init(pods: pods, numPDBViolations: try fields["NumPDBViolations"]?.goInt() ?? 0)
    }

    func jsonText() -> String {
        GoJSON.object([("Pods", GoJSON.array(pods?.map(\.raw.text))), ("NumPDBViolations", String(numPDBViolations))])
    }
}

/// Victims named by UID only (`MetaPod`), for extenders that cache nodes and pods themselves.
public struct MetaVictims: Sendable, Equatable {
    public var pods: [MetaPod]?
    public var numPDBViolations: Int

    public init(pods: [MetaPod]?, numPDBViolations: Int = 0) {
        self.pods = pods
        self.numPDBViolations = numPDBViolations
    }

    init(_ node: JSONNode) throws(InputError) {
        let fields = try node.goFields("MetaVictims")
        var pods: [MetaPod]?
        if let list = fields["Pods"] {
            pods = []
            for element in try list.elements(expected: "a list of MetaPod objects") {
                guard !element.isNull else { throw element.kindError(expected: "a MetaPod object") }
                pods?.append(MetaPod(uid: try element.goFields("MetaPod")["UID"]?.goString() ?? ""))
            }
        }
        self.init(pods: pods, numPDBViolations: try fields["NumPDBViolations"]?.goInt() ?? 0)
    }

    func jsonText() -> String {
        GoJSON.object([("Pods", GoJSON.array(pods?.map { $0.jsonText() })), ("NumPDBViolations", String(numPDBViolations))])
    }
}

/// A pod named by its UID.
public struct MetaPod: Sendable, Equatable {
    public var uid: String

    public init(uid: String) { self.uid = uid }

    func jsonText() -> String { GoJSON.object([("UID", GoJSON.string(uid))]) }
}

/// A Go `map[string]*T`: each value an object (a null value is refused: it would name no victims).
func decodeMap<T>(_ map: JSONNode, _ decode: (JSONNode) throws(InputError) -> T) throws(InputError) -> [String: T] {
    var result: [String: T] = [:]
    for (key, value) in try map.members(expected: "an object keyed by node name") {
        guard !value.isNull else { throw value.kindError(expected: "an object") }
        result[key] = try decode(value)
    }
    return result
}
