/// Mixture-of-experts structure of a model's feed-forward layers.
public struct MixtureOfExperts: Sendable, Equatable {
    /// Routed experts per MoE layer.
    public var experts: Int
    /// Routed experts each token visits (router top-k).
    public var expertsPerToken: Int
    /// Intermediate size of one routed expert.
    public var expertIntermediateSize: Int
    /// Total intermediate size of the always-active shared expert(s) (DeepSeek: n_shared × moe_intermediate); 0 if none.
    public var sharedIntermediateSize: Int
    /// Layers whose MLP is dense rather than MoE (DeepSeek `first_k_dense_replace`, Qwen `mlp_only_layers`).
    public var denseLayers: Int

    public init(experts: Int, expertsPerToken: Int, expertIntermediateSize: Int, sharedIntermediateSize: Int = 0, denseLayers: Int = 0) {
        self.experts = experts
        self.expertsPerToken = expertsPerToken
        self.expertIntermediateSize = expertIntermediateSize
        self.sharedIntermediateSize = sharedIntermediateSize
        self.denseLayers = denseLayers
    }
}

/// Multi-head latent attention (DeepSeek-V2/V3): low-rank query and key/value projections.
public struct LatentAttention: Sendable, Equatable {
    /// Query low-rank dimension; nil when queries are projected directly.
    public var queryRank: Int?
    /// Compressed key/value dimension (what the KV cache stores per token and layer, with the rope part).
    public var keyValueRank: Int
    public var qkNopeHeadDim: Int
    public var qkRopeHeadDim: Int
    public var valueHeadDim: Int

    public init(queryRank: Int?, keyValueRank: Int, qkNopeHeadDim: Int, qkRopeHeadDim: Int, valueHeadDim: Int) {
        self.queryRank = queryRank
        self.keyValueRank = keyValueRank
        self.qkNopeHeadDim = qkNopeHeadDim
        self.qkRopeHeadDim = qkRopeHeadDim
        self.valueHeadDim = valueHeadDim
    }
}

/// The architecture facts of a decoder-only transformer that FLOPs and memory depend on.
public struct ModelArchitecture: Sendable, Equatable {
    /// Feed-forward style: gated (SwiGLU/GeGLU, three matrices) or plain (two matrices, GPT-2).
    public enum MLPKind: String, Sendable, Equatable { case gated, plain }

    public var layers: Int
    public var hiddenSize: Int
    public var attentionHeads: Int
    public var keyValueHeads: Int
    public var headDim: Int
    public var vocabularySize: Int
    /// Dense feed-forward intermediate size (for MoE models, the size of the dense layers).
    public var intermediateSize: Int
    public var mlp: MLPKind
    public var tiedEmbeddings: Bool
    /// Learned absolute position embeddings (GPT-2 `n_positions`); nil for rotary models.
    public var learnedPositions: Int?
    /// Longest context the model was configured for.
    public var maxContext: Int
    /// Bias vectors on the Q/K/V projections (Qwen2) or on every linear layer (GPT-2).
    public var attentionBias: Bool
    public var mlpBias: Bool
    public var moe: MixtureOfExperts?
    public var latentAttention: LatentAttention?
    /// Multi-token-prediction modules (DeepSeek-V3 `num_nextn_predict_layers`), not part of the main model.
    public var multiTokenPredictionLayers: Int
    /// Sliding attention window, when configured.
    public var slidingWindow: Int?

    public init(
        layers: Int, hiddenSize: Int, attentionHeads: Int, keyValueHeads: Int? = nil, headDim: Int? = nil, vocabularySize: Int,
        intermediateSize: Int, mlp: MLPKind = .gated, tiedEmbeddings: Bool = false, learnedPositions: Int? = nil, maxContext: Int = 4096,
        attentionBias: Bool = false, mlpBias: Bool = false, moe: MixtureOfExperts? = nil, latentAttention: LatentAttention? = nil,
        multiTokenPredictionLayers: Int = 0, slidingWindow: Int? = nil
    ) {
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.attentionHeads = attentionHeads
        self.keyValueHeads = keyValueHeads ?? attentionHeads
        self.headDim = headDim ?? (attentionHeads > 0 ? hiddenSize / attentionHeads : 0)
        self.vocabularySize = vocabularySize
        self.intermediateSize = intermediateSize
        self.mlp = mlp
        self.tiedEmbeddings = tiedEmbeddings
        self.learnedPositions = learnedPositions
        self.maxContext = maxContext
        self.attentionBias = attentionBias
        self.mlpBias = mlpBias
        self.moe = moe
        self.latentAttention = latentAttention
        self.multiTokenPredictionLayers = multiTokenPredictionLayers
        self.slidingWindow = slidingWindow
    }

    /// Width of the attention projection, H·Q (may differ from d_model: PaLM 48·256 vs 18432; Gemma 2 9B 16·256 vs 3584).
    public var attentionWidth: Int { attentionHeads * headDim }

    /// Checks the facts are positive and consistent; the error names the field and the conflict.
    public func validate(source: String) throws(InputError) {
        for (name, value) in [
            ("layers", layers), ("hidden size", hiddenSize), ("attention heads", attentionHeads), ("key/value heads", keyValueHeads),
            ("head dim", headDim), ("vocabulary size", vocabularySize), ("intermediate size", intermediateSize),
        ] where value <= 0 {
            throw InputError("\(source): \(name)", "\(value) is not positive", expected: "a whole number greater than zero")
        }
        guard keyValueHeads <= attentionHeads, attentionHeads % keyValueHeads == 0 else {
            throw InputError(
                "\(source): key/value heads", "\(keyValueHeads) key/value heads do not divide \(attentionHeads) attention heads",
                expected: "a divisor of the attention head count (GQA groups)")
        }
        if let moe {
            guard moe.experts > 0, moe.expertsPerToken > 0, moe.expertIntermediateSize > 0 else {
                throw InputError("\(source): experts", "MoE needs positive experts, experts per token and expert size")
            }
            guard moe.expertsPerToken <= moe.experts else {
                throw InputError(
                    "\(source): experts per token", "\(moe.expertsPerToken) active experts exceed \(moe.experts) experts",
                    expected: "at most the expert count")
            }
            guard moe.denseLayers >= 0, moe.denseLayers < layers else {
                throw InputError(
                    "\(source): dense layers", "\(moe.denseLayers) dense layers of \(layers)", expected: "fewer dense layers than layers")
            }
        }
        if let mla = latentAttention {
            guard mla.keyValueRank > 0, mla.qkNopeHeadDim > 0, mla.qkRopeHeadDim >= 0, mla.valueHeadDim > 0, (mla.queryRank ?? 1) > 0 else {
                throw InputError("\(source): latent attention", "kv_lora_rank, qk_nope_head_dim and v_head_dim must be positive")
            }
        }
    }
}
