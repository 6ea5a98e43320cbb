public import ModelPlaneCore

/// A typed view of a core/v1 Pod, beside the exact JSON it came in.
///
/// Read: metadata (name, namespace, uid, labels, annotations, owners), each container's and init container's
/// `resources.requests` / `limits` and `restartPolicy` (sidecars), `spec.nodeSelector`, `spec.priorityClassName`,
/// `spec.priority`, `spec.overhead`, `spec.nodeName` and `spec.schedulerName`. Everything else (affinity, tolerations,
/// volumes, status…) is carried in `raw` unread. Unknown fields are ignored, as the API server's clients do.
public struct KubePod: Sendable, Equatable {
    public let raw: RawJSON
    public let metadata: KubeObjectMeta
    public let containers: [KubeContainer]
    public let initContainers: [KubeContainer]
    public let nodeSelector: [String: String]
    public let priorityClassName: String?
    /// The priority admission resolved from the class; nil when the pod has not been through admission.
    public let priority: Int?
    public let overhead: [String: KubeQuantity]
    public let nodeName: String?
    public let schedulerName: String?

    /// Parses a Pod from JSON text; errors name `source` and the field path.
    public init(parsing text: String, source: String) throws(InputError) {
        try self.init(RawJSON(parsing: text, source: source), path: "\(source):")
    }

    /// Reads a Pod already parsed (from JSON, or YAML through a `ConfigValue`); errors start with `path`.
    public init(_ raw: RawJSON, path: String) throws(InputError) {
        let pod = ConfigCursor(raw.value, path: path)
        guard case .object = raw.value else { throw InputError(path, "found \(raw.value.kindName)", expected: "a Pod object") }
        if let kind = try pod.text("kind"), kind != "Pod" {
            throw InputError(path.hasSuffix(":") ? "\(path) kind" : "\(path).kind", "found kind \(kind)", expected: "a Pod")
        }
        self.raw = raw
        self.metadata = try KubeObjectMeta(of: pod)
        let spec = try pod.object("spec") ?? ConfigCursor(.object([:]), path: path)
        self.containers = try KubeContainer.list(spec, "containers")
        self.initContainers = try KubeContainer.list(spec, "initContainers")
        self.nodeSelector = try spec.stringMap("nodeSelector")
        self.priorityClassName = try spec.text("priorityClassName")
        self.priority = try spec.integer("priority")
        self.overhead = try spec.quantityMap("overhead")
        self.nodeName = try spec.text("nodeName")
        self.schedulerName = try spec.text("schedulerName")
    }

    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
    /// `namespace/name` (`name` alone without a namespace).
    public var key: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
}

/// One container's resources.
public struct KubeContainer: Sendable, Equatable {
    public let name: String
    public let requests: [String: KubeQuantity]
    public let limits: [String: KubeQuantity]
    /// `Always` on an init container makes it a sidecar that runs beside the app containers.
    public let restartPolicy: String?
    /// Where it was read (`…spec.containers[0]`), for errors about its resources.
    public let path: String

    public init(
        name: String, requests: [String: KubeQuantity] = [:], limits: [String: KubeQuantity] = [:], restartPolicy: String? = nil,
        path: String = ""
    ) {
        self.name = name
        self.requests = requests
        self.limits = limits
        self.restartPolicy = restartPolicy
        self.path = path
    }

    public var isSidecar: Bool { restartPolicy == "Always" }

    static func list(_ spec: ConfigCursor, _ key: String) throws(InputError) -> [KubeContainer] {
        var containers: [KubeContainer] = []
        for container in try spec.list(key) {
            guard case .object = container.value else {
                throw InputError(container.path, "found \(container.value.kindName)", expected: "a container object")
            }
            let resources = try container.object("resources")
            containers.append(
                KubeContainer(
                    name: try container.text("name") ?? "", requests: try resources?.quantityMap("requests") ?? [:],
                    limits: try resources?.quantityMap("limits") ?? [:], restartPolicy: try container.text("restartPolicy"),
                    path: container.path))
        }
        return containers
    }
}
