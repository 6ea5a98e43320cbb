import ModelPlaneCore
import ModelPlaneTestSupport
import Testing

@Suite("JSON reader and writer")
struct JSONTests {
    @Test("parses the RFC 8259 value kinds, escapes and surrogate pairs")
    func parse() throws {
        let value = try JSONReader.parse(#"{"a": [1, -2.5e3, true, false, null], "s": "q\"\\\/\n\u00e9\ud83d\ude00"}"#, source: "t")
        #expect(value == .object(["a": .array([1, -2500.0, true, false, .null]), "s": "q\"\\/\né😀"]))
    }

    struct BadRow: Sendable, CustomTestStringConvertible {
        let text: String, location: String
        var testDescription: String { text }
    }

    @Test(
        "errors carry line and column",
        arguments: [
            BadRow(text: "{\n  \"a\": 1,\n  \"b\" 2\n}", location: "t:3:7"),
            BadRow(text: "[1, 2", location: "t:1:6"),
            BadRow(text: "\"open", location: "t:1:6"),
            BadRow(text: "{\"a\": tru}", location: "t:1:7"),
            BadRow(text: "1 2", location: "t:1:3"),
            BadRow(text: "", location: "t:1:1"),
        ])
    func errors(_ row: BadRow) {
        #expect(throws: InputError.self) { try JSONReader.parse(row.text, source: "t") }
        do { _ = try JSONReader.parse(row.text, source: "t") } catch { #expect(error.location == row.location, "\(error)") }
    }

    @Test("deep nesting is refused, not a stack overflow")
    func deepNesting() {
        #expect(throws: InputError.self) { try JSONReader.parse(String(repeating: "[", count: 100_000), source: "t") }
    }

    @Test("writer output parses back to the same value, keys sorted")
    func roundTrip() throws {
        let value: ConfigValue = .object(["z": 1, "a": .array(["x\n\u{01}", 2.5, .null, false]), "m": .object([:])])
        let text = value.jsonText()
        #expect(try JSONReader.parse(text, source: "t") == value)
        #expect(value.jsonText(pretty: false) == #"{"a":["x\n\u0001",2.5,null,false],"m":{},"z":1}"#)
    }

    @Test(
        "quantities with SI suffixes",
        arguments: [("8.03B", 8.03e9), ("238.3K", 238.3e3), ("540.35e9", 540.35e9), ("989.4T", 989.4e12), ("1_000", 1000.0), ("2M", 2e6)])
    func quantities(_ text: String, _ value: Double) {
        #expect(close(Quantity.parse(text)!, value, within: value * 1e-12))
    }

    @Test("non-numbers are not quantities")
    func notQuantities() {
        #expect(Quantity.parse("fast") == nil)
        #expect(Quantity.parse("") == nil)
    }
}
