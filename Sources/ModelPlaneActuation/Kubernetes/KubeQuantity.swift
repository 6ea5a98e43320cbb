public import ModelPlaneCore

/// A Kubernetes resource quantity (`500m`, `16Gi`, `1`, `2k`, `1e3`, `1.5`), held exactly.
///
/// The grammar is apimachinery's: an optionally signed decimal number, then a binary suffix (`Ki` `Mi` `Gi` `Ti`
/// `Pi` `Ei`), a decimal suffix (`m` `k` `M` `G` `T` `P` `E`, or none) or a decimal exponent (`e3`, `E-2`). The
/// value is kept as digits × 10^exponent × 2^shift, so `0.1` and `100m` are the same quantity and nothing is lost to
/// floating point; `value` and `milliValue` round up, as Kubernetes' `Value()` and `MilliValue()` do.
/// Two quantities are equal (`==`) when written the same; compare `milliValue` to compare amounts.
public struct KubeQuantity: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The text as written.
    public let text: String
    let negative: Bool
    let digits: Int128
    let decimalExponent: Int
    let binaryShift: Int

    /// The most significant digits a quantity may carry.
    static let maximumDigits = 36

    public var description: String { text }

    /// Parses `text`; nil when it is not a quantity.
    public init?(_ text: String) {
        guard let parsed = Self.parse(text) else { return nil }
        self = parsed
    }

    /// Parses `text`, or fails naming `location` and the accepted forms.
    public init(_ text: String, at location: String) throws(InputError) {
        guard let parsed = Self.parse(text) else {
            throw InputError(location, "\"\(text)\" is not a Kubernetes quantity", expected: Self.acceptedForms)
        }
        self = parsed
    }

    public static let acceptedForms = "a number with an optional suffix: 500m, 2, 1.5, 2k, 16Gi, 1e3"

    public var isNegative: Bool { negative && digits != 0 }
    public var isZero: Bool { digits == 0 }

    /// The value in units of 10^-`scale`, rounded up (away from zero); nil when it does not fit in 64 bits.
    public func scaledValue(_ scale: Int) -> Int64? {
        guard digits != 0 else { return 0 }
        var magnitude = digits
        for _ in 0..<binaryShift {
            let (doubled, overflow) = magnitude.multipliedReportingOverflow(by: 2)
            if overflow { return nil }
            magnitude = doubled
        }
        let exponent = decimalExponent + scale
        if exponent >= 0 {
            for _ in 0..<exponent {
                let (next, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                magnitude = next
            }
        } else if -exponent > 38 {
            magnitude = 1
        } else {
            var divisor: Int128 = 1
            for _ in 0..<(-exponent) { divisor *= 10 }
            let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: divisor)
            magnitude = quotient + (remainder == 0 ? 0 : 1)
        }
        guard magnitude <= Int128(Int64.max) else { return nil }
        return negative ? -Int64(magnitude) : Int64(magnitude)
    }

    /// Whole units (bytes, GPUs, cores), rounded up.
    public var value: Int64? { scaledValue(0) }
    /// Thousandths of a unit (millicores), rounded up.
    public var milliValue: Int64? { scaledValue(3) }

    /// Whether the quantity is a whole number of units (extended resources such as `nvidia.com/gpu` must be).
    public var isWholeNumber: Bool {
        guard decimalExponent < 0 else { return true }
        // digits × 2^shift / (2^k × 5^k) is whole when 5^k divides the digits and the twos cover 2^k.
        let k = -decimalExponent
        guard k <= 60 else { return digits == 0 }
        var rest = digits
        for _ in 0..<k {
            guard rest % 5 == 0 else { return false }
            rest /= 5
        }
        let twosNeeded = k - binaryShift
        guard twosNeeded > 0 else { return true }
        return rest % (Int128(1) << twosNeeded) == 0
    }

    /// The value as a Double (for display and ratios, not for sums).
    public var doubleValue: Double {
        var result = Double(digits)
        if decimalExponent != 0 {
            var power = 1.0
            for _ in 0..<abs(decimalExponent) { power *= 10 }
            result = decimalExponent > 0 ? result * power : result / power
        }
        for _ in 0..<binaryShift { result *= 2 }
        return negative ? -result : result
    }

    /// apimachinery's grammar; nil when `text` does not follow it.
    static func parse(_ text: String) -> KubeQuantity? {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var digits: Int128 = 0
        var significant = 0
        var fractionDigits = 0
        var sawDigit = false
        var sawPoint = false
        while let byte = bytes.first {
            if byte == UInt8(ascii: ".") {
                guard !sawPoint else { return nil }
                sawPoint = true
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                sawDigit = true
                if sawPoint { fractionDigits += 1 }
                if digits != 0 || byte != UInt8(ascii: "0") { significant += 1 }
                guard significant <= maximumDigits else { return nil }
                digits = digits * 10 + Int128(byte - UInt8(ascii: "0"))
            } else {
                break
            }
            bytes = bytes.dropFirst()
        }
        guard sawDigit, let suffix = Self.suffix(String(Substring(bytes))) else { return nil }
        return KubeQuantity(
            text: text, negative: negative, digits: digits, decimalExponent: suffix.decimal - fractionDigits, binaryShift: suffix.binary)
    }

    /// The power of ten and of two a suffix stands for; nil for an unknown suffix.
    static func suffix(_ text: String) -> (decimal: Int, binary: Int)? {
        switch text {
        case "": return (0, 0)
        case "n": return (-9, 0)
        case "u": return (-6, 0)
        case "m": return (-3, 0)
        case "k": return (3, 0)
        case "M": return (6, 0)
        case "G": return (9, 0)
        case "T": return (12, 0)
        case "P": return (15, 0)
        case "E": return (18, 0)
        case "Ki": return (0, 10)
        case "Mi": return (0, 20)
        case "Gi": return (0, 30)
        case "Ti": return (0, 40)
        case "Pi": return (0, 50)
        case "Ei": return (0, 60)
        default:
            guard let marker = text.first, marker == "e" || marker == "E" else { return nil }
            var exponent = text.dropFirst()
            var sign = 1
            if let first = exponent.first, first == "+" || first == "-" {
                sign = first == "-" ? -1 : 1
                exponent = exponent.dropFirst()
            }
            guard !exponent.isEmpty, exponent.count <= 4, exponent.allSatisfy({ $0.isASCII && $0.isNumber }), let power = Int(exponent) else {
                return nil
            }
            return (sign * power, 0)
        }
    }

    init(text: String, negative: Bool, digits: Int128, decimalExponent: Int, binaryShift: Int) {
        self.text = text
        self.negative = negative
        self.digits = digits
        self.decimalExponent = decimalExponent
        self.binaryShift = binaryShift
    }
}
