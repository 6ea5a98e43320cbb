/// The models ModelPlane knows by name: the built-in open models, plus any the operator imports.
public struct ModelCatalog: Sendable {
    public private(set) var models: [ModelSpec]

    public init(models: [ModelSpec]) { self.models = models }

    /// The built-in catalog: each entry is a real Hugging Face config.json imported by `HuggingFaceConfig`.
    public static let builtin: ModelCatalog = {
        var models: [ModelSpec] = []
        for entry in BuiltinModelConfigs.entries {
            do {
                var spec = try HuggingFaceConfig.parse(json: entry.configJSON, source: entry.huggingFaceRepo, name: entry.name)
                spec.displayName = entry.displayName
                spec.publishedTotalParameters = entry.publishedTotalParameters
                spec.publishedActiveParameters = entry.publishedActiveParameters
                spec.source = entry.source
                spec.aliases = [entry.huggingFaceRepo] + entry.aliases
                models.append(spec)
            } catch {
                preconditionFailure("built-in model config \(entry.name) does not import: \(error)")
            }
        }
        return ModelCatalog(models: models)
    }()

    /// Finds a model by catalog name, Hugging Face repo id or alias (case- and punctuation-insensitive).
    public func lookup(_ name: String) -> ModelSpec? {
        let key = Suggestions.normalize(name)
        return models.first { model in
            ([model.name, model.displayName] + model.aliases).contains { Suggestions.normalize($0) == key }
        }
    }

    /// Like `lookup`, but an unknown name is an error listing the closest known models.
    public func resolve(_ name: String) throws(InputError) -> ModelSpec {
        if let model = lookup(name) { return model }
        let close = Suggestions.closest(to: name, among: models.map(\.name))
        throw InputError(
            "model \"\(name)\"", "unknown model",
            expected: close.isEmpty
                ? "a name from `modelplane catalog models` or a path to a config.json" : "one of the closest: \(close.joined(separator: ", "))")
    }

    public mutating func add(_ model: ModelSpec) {
        models.removeAll { $0.name == model.name }
        models.append(model)
    }
}
