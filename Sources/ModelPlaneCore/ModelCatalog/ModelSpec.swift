/// A model ModelPlane knows: its architecture, derived parameter counts and native precision.
public struct ModelSpec: Sendable, Equatable {
    /// Catalog name, lower-case (`llama-3.1-8b`), or the path a config was imported from.
    public var name: String
    public var displayName: String
    /// Hugging Face `model_type` (`llama`, `mixtral`, `deepseek_v3`).
    public var family: String
    public var architecture: ModelArchitecture
    public var parameters: ParameterCounts
    /// The precision the checkpoint is published in (`torch_dtype`); nil when not stated.
    public var nativePrecision: Precision?
    /// Quantization the checkpoint ships with (`quantization_config`), when any.
    public var quantization: WeightFormat?
    /// Published parameter counts and their source, for display and cross-checks.
    public var publishedTotalParameters: Double?
    public var publishedActiveParameters: Double?
    public var source: String
    public var aliases: [String]

    public init(
        name: String, displayName: String, family: String, architecture: ModelArchitecture, nativePrecision: Precision? = nil,
        quantization: WeightFormat? = nil, publishedTotalParameters: Double? = nil, publishedActiveParameters: Double? = nil,
        source: String = "", aliases: [String] = []
    ) {
        self.name = name
        self.displayName = displayName
        self.family = family
        self.architecture = architecture
        self.parameters = ParameterCounts(architecture)
        self.nativePrecision = nativePrecision
        self.quantization = quantization
        self.publishedTotalParameters = publishedTotalParameters
        self.publishedActiveParameters = publishedActiveParameters
        self.source = source
        self.aliases = aliases
    }

    public var isMixtureOfExperts: Bool { architecture.moe != nil }
}
