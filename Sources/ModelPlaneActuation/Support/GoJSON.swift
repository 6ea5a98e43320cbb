/// JSON text as Go's `encoding/json` writes it (`json.Marshal`), so extender answers match what a Go extender
/// sends: struct fields in declaration order, map keys sorted by bytes, nil as `null`, no spaces, and strings escaped
/// the Go way (`<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes, `\b` `\f` `\n` `\r` `\t` short, other controls as
/// lower-case `\u00xx`).
enum GoJSON {
    /// `{"A":…,"B":…}` from already-encoded values, in the order given.
    static func object(_ fields: [(String, String)]) -> String {
        var out = "{"
        for (position, field) in fields.enumerated() {
            if position > 0 { out += "," }
            out += string(field.0)
            out += ":"
            out += field.1
        }
        return out + "}"
    }

    /// A Go map: keys sorted by their UTF-8 bytes; `null` for a nil map.
    static func map(_ entries: [String: String]?) -> String {
        guard let entries else { return "null" }
        let keys = entries.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return object(keys.map { ($0, entries[$0]!) })
    }

    /// A Go slice of already-encoded values; `null` for a nil slice.
    static func array(_ items: [String]?) -> String {
        guard let items else { return "null" }
        return "[" + items.joined(separator: ",") + "]"
    }

    static func stringArray(_ items: [String]?) -> String { array(items?.map(string)) }

    static func stringMap(_ entries: [String: String]?) -> String { map(entries?.mapValues(string)) }

    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}": out += unicodeEscape(scalar.value)
            case _ where scalar.value < 0x20: out += unicodeEscape(scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
