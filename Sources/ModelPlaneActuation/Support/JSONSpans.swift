/// Byte ranges of the values inside JSON text that has already been validated (by `JSONReader`).
///
/// `JSONReader` yields values, not where they were; this finds the members of an object and the elements of an
/// array as ranges of the original bytes, so that a value can be carried on as the exact text it arrived in.
struct JSONSpans: Sendable {
    let bytes: [UInt8]

    init(_ text: String) { bytes = Array(text.utf8) }

    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    func skipWhitespace(from start: Int) -> Int {
        var index = start
        while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
        return index
    }

    /// The range of the first value at or after `start` (after whitespace).
    func value(at start: Int) -> Range<Int> {
        let first = skipWhitespace(from: start)
        return first..<end(ofValueAt: first)
    }

    /// The members of the object starting at `start` (its `{`): each key's text (with its quotes) and value range.
    func members(ofObjectAt start: Int) -> [(key: Range<Int>, value: Range<Int>)] {
        var members: [(key: Range<Int>, value: Range<Int>)] = []
        var index = skipWhitespace(from: start + 1)
        while index < bytes.count, bytes[index] != UInt8(ascii: "}") {
            let keyEnd = end(ofStringAt: index)
            let colon = skipWhitespace(from: keyEnd)
            let value = value(at: colon + 1)
            members.append((key: index..<keyEnd, value: value))
            index = skipWhitespace(from: value.upperBound)
            if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index = skipWhitespace(from: index + 1) }
        }
        return members
    }

    /// The element ranges of the array starting at `start` (its `[`).
    func elements(ofArrayAt start: Int) -> [Range<Int>] {
        var elements: [Range<Int>] = []
        var index = skipWhitespace(from: start + 1)
        while index < bytes.count, bytes[index] != UInt8(ascii: "]") {
            let element = index..<end(ofValueAt: index)
            elements.append(element)
            index = skipWhitespace(from: element.upperBound)
            if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index = skipWhitespace(from: index + 1) }
        }
        return elements
    }

    /// The index just past the value starting at `start`.
    func end(ofValueAt start: Int) -> Int {
        guard start < bytes.count else { return start }
        switch bytes[start] {
        case UInt8(ascii: "\""): return end(ofStringAt: start)
        case UInt8(ascii: "{"), UInt8(ascii: "["): return end(ofContainerAt: start)
        default:
            var index = start
            while index < bytes.count, !Self.endsScalar(bytes[index]) { index += 1 }
            return index
        }
    }

    private func end(ofStringAt start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return bytes.count
    }

    private func end(ofContainerAt start: Int) -> Int {
        var depth = 0
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index = end(ofStringAt: index)
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return index + 1 }
            default: break
            }
            index += 1
        }
        return bytes.count
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private static func endsScalar(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
    }
}
