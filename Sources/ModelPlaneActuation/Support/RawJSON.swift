public import ModelPlaneCore

/// A JSON value kept as the exact text it arrived in, beside its parsed value.
///
/// Kubernetes objects pass through the scheduler extender untouched: what the scheduler sends is what an extender
/// answers with (a filter result echoes the nodes that passed), so the text is written back byte for byte while the
/// parsed value serves the typed accessors.
public struct RawJSON: Sendable, Equatable {
    /// The value's JSON text, exactly as received (or as written when built here).
    public let text: String
    public let value: ConfigValue

    init(text: String, value: ConfigValue) {
        self.text = text
        self.value = value
    }

    /// Parses `text`, keeping it as is.
    public init(parsing text: String, source: String) throws(InputError) {
        self.value = try JSONReader.parse(text, source: source)
        self.text = text.trimmingJSONWhitespace()
    }

    /// A value built here (from YAML, say): its text is the compact JSON of the value.
    public init(value: ConfigValue) {
        self.value = value
        self.text = value.jsonText(pretty: false)
    }
}

extension String {
    /// Without the JSON whitespace (space, tab, CR, LF) around the value.
    func trimmingJSONWhitespace() -> String {
        let bytes = Array(utf8)
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        if first == 0, last == bytes.count - 1 { return self }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
