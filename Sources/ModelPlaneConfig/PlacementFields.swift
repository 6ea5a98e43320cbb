import ModelPlaneCore

/// Field readers shared by the placement snapshot and request files: every value checked, every error naming its
/// field (the CLI adds the file's line with `LocatedConfig.locate`).
enum PlacementFields {
    static func field(_ cursor: ConfigCursor, _ key: String) -> String {
        cursor.path.hasSuffix(":") || cursor.path.isEmpty ? "\(cursor.path) \(key)" : "\(cursor.path).\(key)"
    }

    /// Unknown keys are errors (a misspelt optional field would otherwise be silently ignored).
    static func allow(_ cursor: ConfigCursor, _ keys: [String]) throws(InputError) {
        for key in try cursor.keys() where !keys.contains(key) {
            throw InputError(field(cursor, key), "unknown field", expected: "one of \(keys.joined(separator: ", "))")
        }
    }

    static func string(_ cursor: ConfigCursor, _ key: String) throws(InputError) -> String? {
        guard let child = cursor.first([key]) else { return nil }
        let text = try child.asString().trimmedSpaces()
        guard !text.isEmpty else { throw InputError(child.path, "is empty", expected: "a name") }
        return text
    }

    static func requiredString(_ cursor: ConfigCursor, _ key: String, _ what: String) throws(InputError) -> String {
        guard let text = try string(cursor, key) else { throw InputError(cursor.path, "missing field \"\(key)\"", expected: what) }
        return text
    }

    static func bool(_ cursor: ConfigCursor, _ key: String) throws(InputError) -> Bool? {
        try cursor.optionalBool(key)
    }

    /// A whole number in `range`.
    static func int(_ cursor: ConfigCursor, _ key: String, _ range: ClosedRange<Int>) throws(InputError) -> Int? {
        guard let child = cursor.first([key]) else { return nil }
        let number = try child.asInt()
        guard range.contains(number) else {
            throw InputError(child.path, "\(number)", expected: "a whole number \(range.lowerBound)…\(range.upperBound)")
        }
        return number
    }

    /// A finite number ≥ 0.
    static func nonNegative(_ cursor: ConfigCursor, _ key: String, unit: String) throws(InputError) -> Double? {
        guard let child = cursor.first([key]) else { return nil }
        let number = try child.asDouble()
        guard number >= 0 else { throw InputError(child.path, "\(number)", expected: "\(unit) ≥ 0") }
        return number
    }

    /// A share of one GPU in percent (`40`, `12.5`, `"40%"`), above 0 and at most 100, in steps of 0.1: thousandths.
    static func shareMilli(_ cursor: ConfigCursor, _ key: String) throws(InputError) -> Int? {
        guard let child = cursor.first([key]) else { return nil }
        var value: Double
        if case .string(let text) = child.value, text.trimmedSpaces().hasSuffix("%") {
            guard let parsed = Double(text.trimmedSpaces().dropLast().trimmedSpaces()), parsed.isFinite else {
                throw InputError(child.path, "\"\(text)\" is not a percentage", expected: "a share of one GPU in percent, 0.1…100")
            }
            value = parsed
        } else {
            value = try child.asDouble()
        }
        let milli = (value * 10).rounded()
        guard value > 0, value <= 100, abs(value * 10 - milli) < 1e-6 else {
            throw InputError(child.path, "\(number(value)) %", expected: "a share of one GPU in percent, 0.1…100 in steps of 0.1")
        }
        return Int(milli)
    }

    /// Bytes from a number of bytes or a Kubernetes quantity (`16Gi`, `512Mi`, `1Ti`, `40G`), rounded up.
    static func bytes(_ cursor: ConfigCursor, _ key: String) throws(InputError) -> Double? {
        guard let child = cursor.first([key]) else { return nil }
        let text = try quantityText(child)
        guard let bytes = ResourceQuantity.scaled(text, scale: 0) else {
            throw InputError(child.path, "\"\(text)\" is not a size", expected: "bytes or a Kubernetes quantity such as 16Gi, 512Mi, 1Ti ≥ 0")
        }
        return Double(bytes)
    }

    /// Millicores from cores (`8`, `0.5`) or a Kubernetes quantity (`96000m`), rounded up.
    static func cpuMilli(_ cursor: ConfigCursor, _ key: String) throws(InputError) -> Int? {
        guard let child = cursor.first([key]) else { return nil }
        let text = try quantityText(child)
        guard let milli = ResourceQuantity.scaled(text, scale: 3), milli <= Int64(Int32.max) * 1_000 else {
            throw InputError(child.path, "\"\(text)\" is not a CPU amount", expected: "cores or a Kubernetes quantity such as 8, 0.5, 96000m ≥ 0")
        }
        return Int(milli)
    }

    private static func quantityText(_ cursor: ConfigCursor) throws(InputError) -> String {
        switch cursor.value {
        case .string(let text): return text.trimmedSpaces()
        case .number(let number):
            guard number.isFinite else { throw InputError(cursor.path, "\(number) is not a finite number") }
            return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(describing: number)
        default: throw InputError(cursor.path, "found \(cursor.value.kindName)", expected: "a number or a quantity string")
        }
    }

    /// Seconds from a number or Go-style units, combinable (`90`, `90s`, `15m`, `1h30m`, `2d`, `1.5h`); above 0.
    static func duration(_ cursor: ConfigCursor, _ key: String) throws(InputError) -> Double? {
        guard let child = cursor.first([key]) else { return nil }
        let expected = "seconds, or a duration such as 90s, 15m, 1h30m, 2d (above 0)"
        if case .number(let number) = child.value {
            guard number.isFinite, number > 0 else { throw InputError(child.path, "\(number)", expected: expected) }
            return number
        }
        let text = try child.asString().trimmedSpaces()
        guard let seconds = parseDuration(text), seconds > 0 else {
            throw InputError(child.path, "\"\(text)\" is not a duration", expected: expected)
        }
        return seconds
    }

    static func parseDuration(_ text: String) -> Double? {
        if let plain = Double(text), plain.isFinite { return plain }
        let units: [String: Double] = ["ms": 0.001, "s": 1, "m": 60, "h": 3_600, "d": 86_400]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard let value = Double(number), value.isFinite, let factor = units[String(unit)] else { return nil }
            total += value * factor
        }
        return total
    }

    /// Names from a list or a comma-separated string; empty names are errors.
    static func names(_ cursor: ConfigCursor, _ key: String) throws(InputError) -> [String]? {
        guard let child = cursor.first([key]) else { return nil }
        var items: [(String, String)] = []
        if case .array = child.value {
            for item in try child.asArray() { items.append((try item.asString().trimmedSpaces(), item.path)) }
        } else {
            for part in try child.asString().split(separator: ",", omittingEmptySubsequences: false) {
                items.append((String(part).trimmedSpaces(), child.path))
            }
        }
        for (name, path) in items where name.isEmpty { throw InputError(path, "an empty name", expected: "names, as a list or separated by commas") }
        return items.map(\.0)
    }

    /// Catalog ids of GPU names (ids, aliases, or the names dcgm-exporter and GPU Feature Discovery report).
    static func gpuTypes(_ cursor: ConfigCursor, _ key: String, _ hardware: HardwareCatalog) throws(InputError) -> [String]? {
        guard let names = try names(cursor, key) else { return nil }
        let location = field(cursor, key)
        var ids: [String] = []
        for name in names {
            let model = try gpuModel(name, at: location, hardware)
            if !ids.contains(model.id) { ids.append(model.id) }
        }
        return ids
    }

    /// One GPU model by name; a MIG-suffixed name is an error (the profile has a field of its own).
    static func gpuModel(_ name: String, at location: String, _ hardware: HardwareCatalog) throws(InputError) -> GPUModel {
        let resolved: ResolvedGPU
        do { resolved = try hardware.resolve(name) } catch { throw InputError(location, "unknown GPU type \"\(name)\"", expected: error.expected) }
        if resolved.mig != nil {
            throw InputError(location, "\"\(name)\" names a MIG profile", expected: "a GPU type (MIG profiles have their own field)")
        }
        return resolved.model
    }

    /// A scheduling priority: `P0`…`P4`, `p2` or `2`.
    static func priority(_ cursor: ConfigCursor, _ key: String) throws(InputError) -> PlacementPriority? {
        guard let child = cursor.first([key]) else { return nil }
        let text = try child.asString().trimmedSpaces()
        guard let priority = PlacementPriority(name: text) else {
            throw InputError(child.path, "\"\(text)\" is not a priority", expected: "P0 (highest), P1, P2, P3 or P4 (lowest)")
        }
        return priority
    }

    /// A number for messages: whole numbers without a fraction, others to 4 significant digits.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : Quantity.significant(value, 4)
    }

    /// Thousandths of a GPU as a percentage for messages (`400` → `40 %`, `125` → `12.5 %`).
    static func percent(_ milli: Int) -> String { milli % 10 == 0 ? "\(milli / 10) %" : "\(Double(milli) / 10) %" }

    /// MIG compute thousandths of a profile: its compute slices of seven (`1g.10gb` → 143, `7g.80gb` → 1000).
    static func sliceMilli(_ profile: MIGProfile) -> Int {
        min(1_000, Int((Double(profile.computeSlices) * 1_000 / 7).rounded()))
    }
}

/// Kubernetes resource quantities as apimachinery writes them: a decimal number, then a binary suffix (`Ki` `Mi`
/// `Gi` `Ti` `Pi` `Ei`), a decimal suffix (`m` `k` `M` `G` `T` `P` `E`) or an exponent (`e3`). Computed exactly
/// in integers and rounded up, as Kubernetes' `Value()` and `MilliValue()` do. ModelPlaneActuation has the full
/// `KubeQuantity`; configuration files must not depend on that module, and need only non-negative amounts.
enum ResourceQuantity {
    /// The amount in units of 10^-`scale` (0: whole units, 3: thousandths), rounded up; nil when `text` is not a
    /// non-negative quantity or does not fit in 63 bits.
    static func scaled(_ text: String, scale: Int) -> Int64? {
        var rest = Substring(text)
        if rest.first == "+" { rest.removeFirst() }
        let whole = rest.prefix { $0.isASCII && $0.isNumber }
        rest = rest.dropFirst(whole.count)
        var fraction = Substring("")
        if rest.first == "." {
            rest.removeFirst()
            fraction = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(fraction.count)
        }
        guard !whole.isEmpty || !fraction.isEmpty else { return nil }
        let digits = (whole + fraction).drop { $0 == "0" }
        guard digits.count <= 30 else { return nil }
        var mantissa: Int128 = 0
        for digit in digits { mantissa = mantissa * 10 + Int128(digit.wholeNumberValue!) }
        var exponent = -fraction.count + scale
        var shift = 0
        let binary: [String: Int] = ["Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60]
        let decimal: [String: Int] = ["": 0, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18]
        if let bits = binary[String(rest)] {
            shift = bits
        } else if let power = decimal[String(rest)] {
            exponent += power
        } else if rest.first == "e" || rest.first == "E" {
            var body = rest.dropFirst()
            var sign = 1
            if body.first == "+" || body.first == "-" {
                sign = body.first == "-" ? -1 : 1
                body.removeFirst()
            }
            guard !body.isEmpty, body.count <= 3, body.allSatisfy({ $0.isASCII && $0.isNumber }), let power = Int(body) else { return nil }
            exponent += sign * power
        } else {
            return nil
        }
        guard mantissa != 0 else { return 0 }
        let limit = Int128(Int64.max)
        for _ in 0..<shift {
            mantissa *= 2
            if mantissa > limit { return nil }
        }
        if exponent >= 0 {
            for _ in 0..<exponent {
                mantissa *= 10
                if mantissa > limit { return nil }
            }
            return Int64(mantissa)
        }
        guard -exponent <= 36 else { return 1 }
        var divisor: Int128 = 1
        for _ in 0..<(-exponent) { divisor *= 10 }
        let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: divisor)
        let value = quotient + (remainder == 0 ? 0 : 1)
        return value > limit ? nil : Int64(value)
    }
}

extension StringProtocol {
    /// Without the whitespace around it.
    func trimmedSpaces() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
