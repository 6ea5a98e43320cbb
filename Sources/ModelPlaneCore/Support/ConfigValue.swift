/// A JSON- or YAML-shaped value tree, read with a path for precise error messages.
///
/// Catalog overrides and Hugging Face `config.json` files arrive in several encodings; each reader turns
/// its input into a `ConfigValue`, and one set of accessors validates it and names the exact key at fault.
public enum ConfigValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([ConfigValue])
    case object([String: ConfigValue])

    /// A short name for the kind of value, for messages ("a string", "an object").
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}

/// A value together with where it was found (`config.json: num_attention_heads`), with typed accessors.
public struct ConfigCursor: Sendable {
    public let value: ConfigValue
    public let path: String

    public init(_ value: ConfigValue, path: String) {
        self.value = value
        self.path = path
    }

    func child(_ key: String) -> ConfigCursor? {
        guard case .object(let fields) = value, let field = fields[key], field != .null else { return nil }
        return ConfigCursor(field, path: path.hasSuffix(":") || path.isEmpty ? "\(path) \(key)" : "\(path).\(key)")
    }

    /// The object's keys, or an error if this is not an object.
    public func keys() throws(InputError) -> [String] {
        guard case .object(let fields) = value else { throw InputError(path, "found \(value.kindName)", expected: "an object") }
        return fields.keys.sorted()
    }

    public func has(_ key: String) -> Bool { child(key) != nil }

    /// The first of `keys` that is present (config files name the same fact differently: `n_embd` / `hidden_size`).
    public func first(_ keys: [String]) -> ConfigCursor? {
        for key in keys { if let found = child(key) { return found } }
        return nil
    }

    public func optionalDouble(_ keys: String...) throws(InputError) -> Double? {
        guard let cursor = first(keys) else { return nil }
        return try cursor.asDouble()
    }

    public func optionalInt(_ keys: String...) throws(InputError) -> Int? {
        guard let cursor = first(keys) else { return nil }
        return try cursor.asInt()
    }

    public func optionalString(_ keys: String...) throws(InputError) -> String? {
        guard let cursor = first(keys) else { return nil }
        return try cursor.asString()
    }

    public func optionalBool(_ keys: String...) throws(InputError) -> Bool? {
        guard let cursor = first(keys) else { return nil }
        return try cursor.asBool()
    }

    public func requiredInt(_ keys: String...) throws(InputError) -> Int {
        guard let cursor = first(keys) else {
            throw InputError(path, "missing field \(keys.map { "\"\($0)\"" }.joined(separator: " or "))", expected: "a whole number")
        }
        return try cursor.asInt()
    }

    public func asDouble() throws(InputError) -> Double {
        switch value {
        case .number(let number):
            guard number.isFinite else { throw InputError(path, "\(number) is not a finite number") }
            return number
        case .string(let text):
            if let number = Double(text.trimmingSpaces()), number.isFinite { return number }
            throw InputError(path, "\"\(text)\" is not a number", expected: "a number")
        default:
            throw InputError(path, "found \(value.kindName)", expected: "a number")
        }
    }

    public func asInt() throws(InputError) -> Int {
        let number = try asDouble()
        guard number == number.rounded(), abs(number) < 9e15 else {
            throw InputError(path, "\(formatNumber(number)) is not a whole number", expected: "a whole number")
        }
        return Int(number)
    }

    public func asString() throws(InputError) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return formatNumber(number)
        default: throw InputError(path, "found \(value.kindName)", expected: "a string")
        }
    }

    public func asBool() throws(InputError) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .string(let text) where ["true", "false"].contains(text.lowercased()): return text.lowercased() == "true"
        default: throw InputError(path, "found \(value.kindName)", expected: "true or false")
        }
    }

    public func asArray() throws(InputError) -> [ConfigCursor] {
        guard case .array(let items) = value else { throw InputError(path, "found \(value.kindName)", expected: "a list") }
        return items.enumerated().map { ConfigCursor($1, path: "\(path)[\($0)]") }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
