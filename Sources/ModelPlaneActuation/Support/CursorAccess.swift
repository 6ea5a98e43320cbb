import ModelPlaneCore

/// Reading Kubernetes objects: a missing or null field is absent, a field of the wrong kind is an error naming it.
extension ConfigCursor {
    /// The object at `key`; nil when absent or null.
    func object(_ key: String) throws(InputError) -> ConfigCursor? {
        guard let child = first([key]) else { return nil }
        guard case .object = child.value else { throw InputError(child.path, "found \(child.value.kindName)", expected: "an object") }
        return child
    }

    /// The list at `key`; empty when absent or null.
    func list(_ key: String) throws(InputError) -> [ConfigCursor] {
        guard let child = first([key]) else { return [] }
        return try child.asArray()
    }

    /// The text at `key`; nil when absent or null. YAML may give a plain scalar a number or boolean kind: those are
    /// taken as the text they were written as.
    func text(_ key: String) throws(InputError) -> String? {
        guard let child = first([key]) else { return nil }
        return try child.asText()
    }

    func asText() throws(InputError) -> String {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .number: return try asString()
        default: throw InputError(path, "found \(value.kindName)", expected: "a string")
        }
    }

    /// The whole number at `key`; nil when absent or null.
    func integer(_ key: String) throws(InputError) -> Int? {
        guard let child = first([key]) else { return nil }
        guard case .number = child.value else { throw InputError(child.path, "found \(child.value.kindName)", expected: "a whole number") }
        return try child.asInt()
    }

    func flag(_ key: String) throws(InputError) -> Bool? {
        guard let child = first([key]) else { return nil }
        guard case .bool(let flag) = child.value else { throw InputError(child.path, "found \(child.value.kindName)", expected: "true or false") }
        return flag
    }

    /// A `map[string]string` (labels, annotations, nodeSelector); empty when absent or null.
    func stringMap(_ key: String) throws(InputError) -> [String: String] {
        guard let map = try object(key) else { return [:] }
        var result: [String: String] = [:]
        for name in try map.keys() {
            if let entry = map.first([name]) { result[name] = try entry.asText() }
        }
        return result
    }

    /// A `ResourceList` (`requests`, `allocatable`): resource name → quantity; empty when absent or null.
    func quantityMap(_ key: String) throws(InputError) -> [String: KubeQuantity] {
        guard let map = try object(key) else { return [:] }
        var result: [String: KubeQuantity] = [:]
        for name in try map.keys() {
            guard let entry = map.first([name]) else { continue }
            switch entry.value {
            case .string(let text): result[name] = try KubeQuantity(text, at: entry.path)
            case .number: result[name] = try KubeQuantity(try entry.asString(), at: entry.path)
            default: throw InputError(entry.path, "found \(entry.value.kindName)", expected: "a quantity such as \"500m\" or \"16Gi\"")
            }
        }
        return result
    }
}
