import ModelPlaneActuation
import Testing

struct QuantityRow: Sendable, CustomTestStringConvertible {
    let text: String
    let value: Int64?
    let milli: Int64?
    let whole: Bool
    var testDescription: String { text }
}

@Suite("Kubernetes quantities")
struct KubeQuantityTests {
    @Test(
        "parsed exactly and rounded up as Value() and MilliValue() do",
        arguments: [
            QuantityRow(text: "500m", value: 1, milli: 500, whole: false),
            QuantityRow(text: "16Gi", value: 17_179_869_184, milli: 17_179_869_184_000, whole: true),
            QuantityRow(text: "1", value: 1, milli: 1000, whole: true),
            QuantityRow(text: "2k", value: 2000, milli: 2_000_000, whole: true),
            QuantityRow(text: "1e3", value: 1000, milli: 1_000_000, whole: true),
            QuantityRow(text: "1E3", value: 1000, milli: 1_000_000, whole: true),
            QuantityRow(text: "1.5", value: 2, milli: 1500, whole: false),
            QuantityRow(text: "0.1", value: 1, milli: 100, whole: false),
            QuantityRow(text: ".5", value: 1, milli: 500, whole: false),
            QuantityRow(text: "5.", value: 5, milli: 5000, whole: true),
            QuantityRow(text: "+3", value: 3, milli: 3000, whole: true),
            QuantityRow(text: "-2", value: -2, milli: -2000, whole: true),
            QuantityRow(text: "0.0001", value: 1, milli: 1, whole: false),
            QuantityRow(text: "512Mi", value: 536_870_912, milli: 536_870_912_000, whole: true),
            QuantityRow(text: "78083556Ki", value: 79_957_561_344, milli: 79_957_561_344_000, whole: true),
            QuantityRow(text: "0.5Ki", value: 512, milli: 512_000, whole: true),
            QuantityRow(text: "1M", value: 1_000_000, milli: 1_000_000_000, whole: true),
            QuantityRow(text: "1E", value: 1_000_000_000_000_000_000, milli: nil, whole: true),
            QuantityRow(text: "8Ei", value: nil, milli: nil, whole: true),
            QuantityRow(text: "100n", value: 1, milli: 1, whole: false),
            QuantityRow(text: "1e-3", value: 1, milli: 1, whole: false),
            QuantityRow(text: "0", value: 0, milli: 0, whole: true),
            QuantityRow(text: "12.5e1", value: 125, milli: 125_000, whole: true),
        ])
    func parse(_ row: QuantityRow) throws {
        let quantity = try #require(KubeQuantity(row.text))
        #expect(quantity.value == row.value)
        #expect(quantity.milliValue == row.milli)
        #expect(quantity.isWholeNumber == row.whole)
        #expect(quantity.description == row.text)
    }

    @Test(
        "malformed quantities are refused",
        arguments: ["", "m", "Gi", "1.2.3", "1 Gi", " 1", "1gi", "1KiB", "1e", "1e+", "1Ki3", "abc", "0x10", "1,5", "--1", "1e99999"])
    func malformed(_ text: String) {
        #expect(KubeQuantity(text) == nil)
        #expect(throws: (any Error).self) { try KubeQuantity(text, at: "here") }
    }

    @Test("doubleValue for display")
    func double() throws {
        #expect(try #require(KubeQuantity("1.5Gi")).doubleValue == 1.5 * 1_073_741_824)
        #expect(try #require(KubeQuantity("250m")).doubleValue == 0.25)
    }
}
