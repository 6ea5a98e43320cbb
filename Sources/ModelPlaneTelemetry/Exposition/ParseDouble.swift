/// Powers of ten exactly representable as doubles (10⁰ … 10²²).
private let exactPowersOfTen: [Double] = (0...22).map { exponent in
    var value = 1.0
    for _ in 0..<exponent { value *= 10 }
    return value
}

/// Parses a sample value: decimal and scientific notation, `NaN`, `+Inf`, `-Inf` (any case).
///
/// Fast path (Clinger 1990): up to 19 significant digits with a decimal exponent within ±22 converts exactly with
/// one multiplication or division. Everything else goes through the standard library's correctly rounded parser.
func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
    let count = bytes.count
    guard count > 0 else { return nil }
    var index = 0
    var negative = false
    if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
        negative = bytes[0] == UInt8(ascii: "-")
        index = 1
    }
    var mantissa: UInt64 = 0
    var digits = 0
    var exponent = 0
    var sawDigit = false
    var exponentOverflow = false
    while index < count, bytes[index] &- 0x30 < 10 {
        if digits < 19 {
            mantissa = mantissa * 10 + UInt64(bytes[index] &- 0x30)
            if mantissa != 0 { digits += 1 }
        } else {
            exponent += 1
        }
        sawDigit = true
        index += 1
    }
    if index < count, bytes[index] == UInt8(ascii: ".") {
        index += 1
        while index < count, bytes[index] &- 0x30 < 10 {
            if digits < 19 {
                mantissa = mantissa * 10 + UInt64(bytes[index] &- 0x30)
                if mantissa != 0 { digits += 1 }
                exponent -= 1
            }
            sawDigit = true
            index += 1
        }
    }
    if sawDigit, index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
        index += 1
        var exponentNegative = false
        if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            exponentNegative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var value = 0
        var exponentDigits = 0
        while index < count, bytes[index] &- 0x30 < 10 {
            // Past six digits the exponent is not tracked; `exponentOverflow` sends the token to the slow path.
            if value < 100_000 { value = value * 10 + Int(bytes[index] &- 0x30) } else { exponentOverflow = true }
            exponentDigits += 1
            index += 1
        }
        guard exponentDigits > 0 else { return nil }
        exponent += exponentNegative ? -value : value
    }
    if sawDigit, index == count, !exponentOverflow, digits <= 15 || mantissa < (1 << 53) {
        if mantissa == 0 { return negative ? -0.0 : 0 }
        if exponent >= 0, exponent <= 22 {
            let value = Double(mantissa) * exactPowersOfTen[exponent]
            return negative ? -value : value
        }
        if exponent < 0, exponent >= -22 {
            let value = Double(mantissa) / exactPowersOfTen[-exponent]
            return negative ? -value : value
        }
    }
    // Slow path: NaN, Inf, long mantissas, large exponents.
    let text = String(decoding: bytes, as: UTF8.self)
    switch text.lowercased() {
    case "nan": return .nan
    case "+inf", "inf", "+infinity", "infinity": return .infinity
    case "-inf", "-infinity": return -.infinity
    default: break
    }
    // Only the float alphabet reaches the C parser behind `Double(_:)`: it stops at a NUL byte and would
    // accept `1\0x` as 1.
    guard sawDigit, index == count, bytes.allSatisfy({ ($0 &- 0x30) < 10 || $0 == 0x2E || $0 == 0x2B || $0 == 0x2D || $0 | 0x20 == 0x65 }),
        let value = Double(text)
    else { return nil }
    return value
}
