/// The quantities FLOPs formulas read, each optional so that a formula can name exactly what it is missing.
///
/// Built from a catalog `ModelSpec` (with explicit flags overriding) or from flags alone.
public struct TransformerShape: Sendable, Equatable {
    /// N: parameters counted by the chosen convention (active ones for MoE unless told otherwise).
    public var parameters: Double?
    /// Active parameters per token, when different (MoE).
    public var activeParameters: Double?
    public var layers: Int?
    public var hiddenSize: Int?
    public var heads: Int?
    public var keyValueHeads: Int?
    public var headDim: Int?
    public var ffn: Int?
    public var vocabulary: Int?
    public var gatedMLP: Bool
    public var moe: MixtureOfExperts?
    public var latentAttention: LatentAttention?
    public var multiTokenPredictionLayers: Int

    public init(
        parameters: Double? = nil, activeParameters: Double? = nil, layers: Int? = nil, hiddenSize: Int? = nil, heads: Int? = nil,
        keyValueHeads: Int? = nil, headDim: Int? = nil, ffn: Int? = nil, vocabulary: Int? = nil, gatedMLP: Bool = true,
        moe: MixtureOfExperts? = nil, latentAttention: LatentAttention? = nil, multiTokenPredictionLayers: Int = 0
    ) {
        self.parameters = parameters
        self.activeParameters = activeParameters
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.heads = heads
        self.keyValueHeads = keyValueHeads
        self.headDim = headDim
        self.ffn = ffn
        self.vocabulary = vocabulary
        self.gatedMLP = gatedMLP
        self.moe = moe
        self.latentAttention = latentAttention
        self.multiTokenPredictionLayers = multiTokenPredictionLayers
    }

    /// The shape of a catalog model, N counted by `convention` (active parameters for MoE when `active`).
    public init(model: ModelSpec, convention: ParameterConvention, active: Bool = true) {
        let a = model.architecture
        self.init(
            parameters: model.parameters.counted(convention, active: active && model.isMixtureOfExperts),
            activeParameters: model.isMixtureOfExperts ? model.parameters.counted(convention, active: true) : nil,
            layers: a.layers, hiddenSize: a.hiddenSize, heads: a.attentionHeads, keyValueHeads: a.keyValueHeads, headDim: a.headDim,
            ffn: a.intermediateSize, vocabulary: a.vocabularySize, gatedMLP: a.mlp == .gated, moe: a.moe, latentAttention: a.latentAttention,
            multiTokenPredictionLayers: a.multiTokenPredictionLayers)
    }

    /// H·Q, the attention projection width; falls back to d_model when heads or head dim are unknown.
    var attentionWidth: Int? {
        if let heads, let headDim { return heads * headDim }
        return hiddenSize
    }
}
