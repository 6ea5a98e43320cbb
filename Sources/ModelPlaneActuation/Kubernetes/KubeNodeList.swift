public import ModelPlaneCore

/// A core/v1 NodeList (or a `kind: List` of nodes, as `kubectl get nodes -o json` prints), with its items typed.
///
/// Written back, a list that came in unchanged is its exact text; a filtered one keeps the envelope's members
/// (`kind`, `apiVersion`, `metadata`, in their order and bytes) and the passing items' exact texts.
public struct KubeNodeList: Sendable, Equatable {
    public var items: [KubeNode]
    /// The envelope's members as received: the key's JSON text and the value's, in order.
    let envelope: [Member]
    /// Which envelope member holds the items.
    let itemsMember: Int?
    /// The list's own text and its items' texts as received, to write it back untouched when unchanged.
    let original: Original?

    struct Member: Sendable, Equatable {
        let key: String
        let value: String
    }

    struct Original: Sendable, Equatable {
        let text: String
        let itemTexts: [String]
    }

    /// A new list, written as Go writes a `v1.NodeList`: `{"metadata":{},"items":[…]}`.
    public init(items: [KubeNode]) {
        self.items = items
        self.envelope = [Member(key: "\"metadata\"", value: "{}"), Member(key: "\"items\"", value: "")]
        self.itemsMember = 1
        self.original = nil
    }

    /// Parses a NodeList from JSON text.
    public init(parsing text: String, source: String) throws(InputError) {
        try self.init(JSONNode.parse(text, source: source))
    }

    init(_ list: JSONNode) throws(InputError) {
        var envelope: [Member] = []
        var itemsMember: Int?
        var itemsNode: JSONNode?
        let spans = list.spans
        let members = try list.members(expected: "a NodeList object")
        for (position, span) in spans.members(ofObjectAt: list.range.lowerBound).enumerated() {
            let (key, node) = members[position]
            envelope.append(Member(key: spans.text(span.key), value: spans.text(span.value)))
            if key.lowercased() == "items" {
                itemsMember = position
                itemsNode = node
            }
            if key == "kind", case .string(let kind) = node.value, kind != "NodeList", kind != "List" {
                throw InputError(node.path, "found kind \(kind)", expected: "a NodeList (or a List of nodes)")
            }
        }
        var items: [KubeNode] = []
        if let itemsNode, !itemsNode.isNull {
            for element in try itemsNode.elements(expected: "a list of Node objects") {
                items.append(try KubeNode(element.raw, path: element.path))
            }
        }
        self.items = items
        self.envelope = envelope
        self.itemsMember = itemsMember
        self.original = Original(text: list.text, itemTexts: items.map(\.raw.text))
    }

    /// The list with only the nodes `isIncluded` keeps, its envelope unchanged.
    public func filter(_ isIncluded: (KubeNode) throws -> Bool) rethrows -> KubeNodeList {
        var kept = self
        kept.items = try items.filter(isIncluded)
        return kept
    }

    public var names: [String] { items.map(\.name) }

    /// The list's JSON text: byte for byte what came in when the items are unchanged.
    public func jsonText() -> String {
        let itemTexts = items.map(\.raw.text)
        if let original, original.itemTexts == itemTexts { return original.text }
        let itemsValue = GoJSON.array(itemTexts)
        var members: [Member] = []
        for (position, member) in envelope.enumerated() {
            if position == itemsMember {
                members.append(Member(key: member.key, value: itemsValue))
            } else if member.key.lowercased() != "\"items\"" {
                members.append(member)
            }
        }
        if itemsMember == nil { members.append(Member(key: "\"items\"", value: itemsValue)) }
        return "{" + members.map { "\($0.key):\($0.value)" }.joined(separator: ",") + "}"
    }
}
