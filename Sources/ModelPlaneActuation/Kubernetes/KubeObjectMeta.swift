import ModelPlaneCore

/// The parts of a Kubernetes object's `metadata` that placement reads.
public struct KubeObjectMeta: Sendable, Equatable {
    public let name: String
    public let namespace: String
    public let uid: String
    public let labels: [String: String]
    public let annotations: [String: String]
    public let ownerReferences: [KubeOwnerReference]

    public init(
        name: String = "", namespace: String = "", uid: String = "", labels: [String: String] = [:], annotations: [String: String] = [:],
        ownerReferences: [KubeOwnerReference] = []
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
    }

    /// Reads `metadata` of `object`; absent metadata is empty.
    init(of object: ConfigCursor) throws(InputError) {
        guard let meta = try object.object("metadata") else {
            self.init()
            return
        }
        var owners: [KubeOwnerReference] = []
        for owner in try meta.list("ownerReferences") {
            owners.append(
                KubeOwnerReference(
                    kind: try owner.text("kind") ?? "", name: try owner.text("name") ?? "", controller: try owner.flag("controller") ?? false))
        }
        self.init(
            name: try meta.text("name") ?? "", namespace: try meta.text("namespace") ?? "", uid: try meta.text("uid") ?? "",
            labels: try meta.stringMap("labels"), annotations: try meta.stringMap("annotations"), ownerReferences: owners)
    }
}

/// Who owns an object (a ReplicaSet owns the pods of a Deployment).
public struct KubeOwnerReference: Sendable, Equatable {
    public let kind: String
    public let name: String
    /// The managing controller (at most one owner is).
    public let controller: Bool

    public init(kind: String, name: String, controller: Bool) {
        self.kind = kind
        self.name = name
        self.controller = controller
    }
}
