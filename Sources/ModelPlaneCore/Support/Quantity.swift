/// Parses counts and rates as operators type them: `8.03e9`, `8.03B`, `405b`, `238.3K`, `1.2M`, `989.4T`.
public enum Quantity {
    /// The value, or nil when `text` is not a number with an optional K/M/B/G/T suffix.
    public static func parse(_ text: String) -> Double? {
        var body = text.trimmingSpaces().replacing("_", with: "").replacing(",", with: "")
        guard let last = body.last else { return nil }
        var scale = 1.0
        switch last {
        case "k", "K": scale = 1e3
        case "m", "M": scale = 1e6
        case "b", "B", "g", "G": scale = 1e9
        case "t", "T": scale = 1e12
        case "p", "P": scale = 1e15
        default: break
        }
        if scale != 1 { body.removeLast() }
        guard let value = Double(body) else { return nil }
        return value * scale
    }

    /// Formats with an SI suffix: 8.03e9 → "8.03B" (counts) or with a unit: 989.4e12, "FLOP/s" → "989.4 TFLOP/s".
    public static func format(_ value: Double, unit: String = "", digits: Int = 4) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : "inf" }
        let magnitude = abs(value)
        let steps: [(Double, String, String)] =
            unit.isEmpty
            ? [(1e12, "T", ""), (1e9, "B", ""), (1e6, "M", ""), (1e3, "K", "")]
            : [(1e15, "P", ""), (1e12, "T", ""), (1e9, "G", ""), (1e6, "M", ""), (1e3, "k", "")]
        for (size, suffix, _) in steps where magnitude >= size {
            return significant(value / size, digits) + (unit.isEmpty ? suffix : " \(suffix)\(unit)")
        }
        return significant(value, digits) + (unit.isEmpty ? "" : " \(unit)")
    }

    /// `value` rounded to `digits` significant digits, without trailing zeros.
    public static func significant(_ value: Double, _ digits: Int) -> String {
        guard value != 0 else { return "0" }
        var decimals = digits - 1
        var magnitude = abs(value)
        while magnitude >= 10, decimals > 0 {
            magnitude /= 10
            decimals -= 1
        }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = decimals == 0 ? String(Int64(rounded)) : String(describing: rounded)
        if text.contains("e") { return String(describing: rounded) }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// A ratio as a percentage with one decimal: 0.4623 → "46.2%".
    public static func percent(_ ratio: Double) -> String {
        guard ratio.isFinite else { return "n/a" }
        return String(describing: (ratio * 1000).rounded() / 10) + "%"
    }
}
