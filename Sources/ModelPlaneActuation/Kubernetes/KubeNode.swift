public import ModelPlaneCore

/// A typed view of a core/v1 Node, beside the exact JSON it came in.
///
/// Read: metadata (name, labels such as GPU Feature Discovery's `nvidia.com/gpu.product`, annotations),
/// `spec.unschedulable`, `status.capacity` and `status.allocatable`. The rest is carried in `raw` unread.
public struct KubeNode: Sendable, Equatable {
    public let raw: RawJSON
    public let metadata: KubeObjectMeta
    public let unschedulable: Bool
    public let capacity: [String: KubeQuantity]
    public let allocatable: [String: KubeQuantity]

    /// Parses a Node from JSON text; errors name `source` and the field path.
    public init(parsing text: String, source: String) throws(InputError) {
        try self.init(RawJSON(parsing: text, source: source), path: "\(source):")
    }

    /// Reads a Node already parsed; errors start with `path`.
    public init(_ raw: RawJSON, path: String) throws(InputError) {
        let node = ConfigCursor(raw.value, path: path)
        guard case .object = raw.value else { throw InputError(path, "found \(raw.value.kindName)", expected: "a Node object") }
        if let kind = try node.text("kind"), kind != "Node" {
            throw InputError(path.hasSuffix(":") ? "\(path) kind" : "\(path).kind", "found kind \(kind)", expected: "a Node")
        }
        self.raw = raw
        self.metadata = try KubeObjectMeta(of: node)
        self.unschedulable = try node.object("spec")?.flag("unschedulable") ?? false
        let status = try node.object("status")
        self.capacity = try status?.quantityMap("capacity") ?? [:]
        self.allocatable = try status?.quantityMap("allocatable") ?? [:]
    }

    public var name: String { metadata.name }
    public var labels: [String: String] { metadata.labels }
}
