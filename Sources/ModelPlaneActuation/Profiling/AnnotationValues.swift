import ModelPlaneCore

/// Parsers for annotation values (always strings); each failure names the annotation and what was expected.
enum AnnotationValues {
    /// A whole number in `1...maximum` (no sign, no fraction, no spaces).
    static func count(_ text: String, at location: String, what: String, maximum: Int) throws(InputError) -> Int {
        let trimmed = text.trimmingJSONWhitespace()
        guard let value = Int(trimmed) else {
            if let number = Double(trimmed), !number.isFinite || trimmed.allSatisfy({ "0123456789.+-eE".contains($0) }) {
                guard number.isFinite else {
                    throw InputError(location, "\(trimmed) is not a finite number", expected: "a whole number of \(what), 1…\(maximum)")
                }
                throw InputError(location, "\(trimmed) is not a whole number", expected: "a whole number of \(what), 1…\(maximum)")
            }
            throw InputError(location, "\"\(text)\" is not a number", expected: "a whole number of \(what), 1…\(maximum)")
        }
        guard value >= 1 else { throw InputError(location, "\(value) is not positive", expected: "a whole number of \(what), 1…\(maximum)") }
        guard value <= maximum else {
            throw InputError(location, "\(value) is more than \(maximum)", expected: "a whole number of \(what), 1…\(maximum)")
        }
        return value
    }

    static let percentForm = "a share of one GPU in percent, more than 0 and at most 100, in steps of 0.1 (40, 40%, 12.5)"

    /// A percentage of one GPU, as thousandths (`40` → 400).
    static func percentMilli(_ text: String, at location: String) throws(InputError) -> Int {
        var body = text.trimmingJSONWhitespace()
        if body.hasSuffix("%") { body = String(body.dropLast()).trimmingJSONWhitespace() }
        if let number = Double(body), !number.isFinite { throw InputError(location, "\(body) is not a finite percentage", expected: percentForm) }
        guard body.allSatisfy({ "0123456789.+-".contains($0) }), let percent = Double(body) else {
            throw InputError(location, "\"\(text)\" is not a percentage", expected: percentForm)
        }
        guard percent > 0 else { throw InputError(location, "\(body) % is not positive", expected: percentForm) }
        guard percent <= 100 else { throw InputError(location, "\(body) % exceeds a whole GPU", expected: percentForm) }
        let milli = percent * 10
        guard abs(milli - milli.rounded()) < 1e-9 else { throw InputError(location, "\(body) % is finer than 0.1 %", expected: percentForm) }
        return Int(milli.rounded())
    }

    static let durationForm = "a positive duration such as 45s, 90m, 2h, 1h30m, 1.5d, or seconds (3600)"

    /// A duration in seconds: Go-style units (`s`, `m`, `h`, plus `d`) or a plain number of seconds.
    static func durationSeconds(_ text: String, at location: String) throws(InputError) -> Double {
        let body = text.trimmingJSONWhitespace()
        if body.hasPrefix("-") { throw InputError(location, "\"\(text)\" is negative", expected: durationForm) }
        if body.allSatisfy({ "0123456789.".contains($0) }), let seconds = Double(body) {
            guard seconds.isFinite, seconds > 0 else { throw InputError(location, "\"\(text)\" is not a positive duration", expected: durationForm) }
            return seconds
        }
        var total = 0.0
        var number = ""
        var sawTerm = false
        for character in body {
            if character.isNumber || character == "." {
                number.append(character)
                continue
            }
            let unit: Double
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            default: throw InputError(location, "\"\(text)\" has an unknown unit \"\(character)\"", expected: durationForm)
            }
            guard let value = Double(number), value.isFinite else {
                throw InputError(location, "\"\(text)\" is not a duration", expected: durationForm)
            }
            total += value * unit
            number = ""
            sawTerm = true
        }
        guard sawTerm, number.isEmpty else { throw InputError(location, "\"\(text)\" is not a duration", expected: durationForm) }
        guard total > 0, total.isFinite else { throw InputError(location, "\"\(text)\" is not a positive duration", expected: durationForm) }
        return total
    }

    /// A comma-separated list of non-empty names.
    static func names(_ text: String, at location: String, what: String) throws(InputError) -> [String] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingJSONWhitespace() }
        guard !names.isEmpty, !names.contains(where: \.isEmpty) else {
            throw InputError(location, "\"\(text)\" has an empty entry", expected: "a comma-separated list of \(what)")
        }
        return names
    }

    static func flag(_ text: String, at location: String) throws(InputError) -> Bool {
        switch text.trimmingJSONWhitespace().lowercased() {
        case "true": return true
        case "false": return false
        default: throw InputError(location, "\"\(text)\" is not a boolean", expected: "true or false")
        }
    }

    /// A byte size: a Kubernetes quantity (`40Gi`, `4e10`) or plain bytes; positive and whole.
    static func bytes(_ text: String, at location: String) throws(InputError) -> Double {
        let quantity = try KubeQuantity(text.trimmingJSONWhitespace(), at: location)
        guard !quantity.isNegative, !quantity.isZero else {
            throw InputError(location, "\"\(text)\" is not a positive size", expected: "a size such as 40Gi")
        }
        guard let bytes = quantity.value else { throw InputError(location, "\"\(text)\" is too large", expected: "a size such as 40Gi") }
        return Double(bytes)
    }

    /// One of `cases` (case-insensitive).
    static func choice<T: RawRepresentable & CaseIterable>(_ text: String, at location: String, as _: T.Type) throws(InputError) -> T
    where T.RawValue == String {
        let key = text.trimmingJSONWhitespace().lowercased()
        if let value = T.allCases.first(where: { $0.rawValue == key }) { return value }
        throw InputError(location, "\"\(text)\" is not known", expected: "one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
    }
}
