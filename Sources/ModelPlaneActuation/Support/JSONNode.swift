import ModelPlaneCore

/// One value of a validated JSON document: where it is (for errors), its exact text and its parsed value.
///
/// Lookups follow Go's `encoding/json`, which kube-scheduler and extenders written in Go use: a struct field matches
/// a key case-insensitively (the upstream compatibility test decodes lower-cased keys), a later duplicate key
/// overrides an earlier one, unknown keys are ignored and `null` leaves a field unset.
struct JSONNode: Sendable {
    let spans: JSONSpans
    let range: Range<Int>
    let value: ConfigValue
    /// `ExtenderArgs.Nodes.items[0]`.
    let path: String

    /// Parses `text` as the document `source` (also the root of every error path).
    static func parse(_ text: String, source: String) throws(InputError) -> JSONNode {
        let value = try JSONReader.parse(text, source: source)
        let spans = JSONSpans(text)
        return JSONNode(spans: spans, range: spans.value(at: 0), value: value, path: source)
    }

    var text: String { spans.text(range) }
    var raw: RawJSON { RawJSON(text: text, value: value) }
    var cursor: ConfigCursor { ConfigCursor(value, path: path) }
    var isNull: Bool { value == .null }

    func kindError(expected: String) -> InputError { InputError(path, "found \(value.kindName)", expected: expected) }

    /// The object's members in document order, keys decoded.
    func members(expected: String) throws(InputError) -> [(key: String, node: JSONNode)] {
        guard case .object(let fields) = value else { throw kindError(expected: expected) }
        return spans.members(ofObjectAt: range.lowerBound).map { span in
            let key = decodeKey(span.key)
            let child = JSONNode(spans: spans, range: span.value, value: fields[key] ?? .null, path: "\(path).\(key)")
            return (key: key, node: child)
        }
    }

    /// The array's elements in order.
    func elements(expected: String) throws(InputError) -> [JSONNode] {
        guard case .array(let items) = value else { throw kindError(expected: expected) }
        let ranges = spans.elements(ofArrayAt: range.lowerBound)
        return zip(ranges, items).enumerated().map { position, pair in
            JSONNode(spans: spans, range: pair.0, value: pair.1, path: "\(path)[\(position)]")
        }
    }

    /// The object read as a Go struct called `typeName`: its fields by case-folded name, the last duplicate winning.
    func goFields(_ typeName: String) throws(InputError) -> GoFields {
        var byName: [String: JSONNode] = [:]
        for (key, node) in try members(expected: "\(typeName.first.map { "AEIOU".contains($0) } == true ? "an" : "a") \(typeName) object") {
            byName[key.lowercased()] = node
        }
        return GoFields(path: path, byName: byName)
    }

    /// The key text between its quotes, unescaped.
    private func decodeKey(_ range: Range<Int>) -> String {
        let inner = spans.bytes[(range.lowerBound + 1)..<max(range.lowerBound + 1, range.upperBound - 1)]
        guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
        if case .string(let key) = try? JSONReader.parse(spans.text(range), source: path) { return key }
        return String(decoding: inner, as: UTF8.self)
    }
}

/// An object's members looked up as Go struct fields are.
struct GoFields: Sendable {
    let path: String
    let byName: [String: JSONNode]

    /// The field `name` (matched case-insensitively); nil when absent or null. Its path uses the Go field name.
    subscript(_ name: String) -> JSONNode? {
        guard let node = byName[name.lowercased()], !node.isNull else { return nil }
        return JSONNode(spans: node.spans, range: node.range, value: node.value, path: "\(path).\(name)")
    }

    /// Whether the field is present, even as null.
    func has(_ name: String) -> Bool { byName[name.lowercased()] != nil }
}

/// Go `encoding/json` decoding of the scalar kinds, as strict as Go: a string field takes a JSON string (or null),
/// an integer field a JSON number without a fraction.
extension JSONNode {
    func goString() throws(InputError) -> String {
        switch value {
        case .string(let text): return text
        case .null: return ""
        default: throw kindError(expected: "a string")
        }
    }

    func goInt() throws(InputError) -> Int {
        guard case .number(let number) = value else { throw kindError(expected: "a whole number") }
        guard number.isFinite, number == number.rounded(), abs(number) < 9.2e18 else {
            throw InputError(path, "\(text) is not a whole number", expected: "a whole number (Go int64)")
        }
        return Int(number)
    }

    func goStringArray() throws(InputError) -> [String] {
        var strings: [String] = []
        for element in try elements(expected: "a list of strings") {
            guard case .string(let text) = element.value else { throw element.kindError(expected: "a string") }
            strings.append(text)
        }
        return strings
    }

    func goStringMap() throws(InputError) -> [String: String] {
        var map: [String: String] = [:]
        for (key, node) in try members(expected: "an object of strings") { map[key] = try node.goString() }
        return map
    }
}
