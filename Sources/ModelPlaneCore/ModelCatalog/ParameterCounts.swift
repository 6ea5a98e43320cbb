/// Parameter counts of a model, split the ways FLOPs conventions need them.
public struct ParameterCounts: Sendable, Equatable {
    /// Every parameter of the main model, tied embeddings counted once (excludes multi-token-prediction modules).
    public var total: Double
    /// Parameters one token touches: total less the routed experts it does not visit. Equal to `total` for dense models.
    public var active: Double
    /// Token embedding (V·h).
    public var tokenEmbedding: Double
    /// Learned position embedding (GPT-2), else 0.
    public var positionEmbedding: Double
    /// Output projection when it is not tied to the token embedding, else 0.
    public var untiedHead: Double
    /// Multi-token-prediction modules (DeepSeek-V3's 14B), not in `total`.
    public var multiTokenPrediction: Double

    /// Derives the counts from an architecture, layer by layer (biases and norms included).
    ///
    /// Reproduces published counts within 1% for the built-in catalog (Llama 3.1 8B: 8.03B; Mixtral 8x7B: 46.7B
    /// total, 12.9B active; DeepSeek-V3: 671B total, 37B active); the tests check each.
    public init(_ a: ModelArchitecture) {
        let h = Double(a.hiddenSize)
        let attention: Double
        if let mla = a.latentAttention {
            let heads = Double(a.attentionHeads)
            let qkHead = Double(mla.qkNopeHeadDim + mla.qkRopeHeadDim)
            let query: Double
            if let rank = mla.queryRank.map(Double.init) {
                query = h * rank + rank + rank * heads * qkHead
            } else {
                query = h * heads * qkHead
            }
            let kvRank = Double(mla.keyValueRank)
            let keyValue = h * (kvRank + Double(mla.qkRopeHeadDim)) + kvRank + kvRank * heads * Double(mla.qkNopeHeadDim + mla.valueHeadDim)
            attention = query + keyValue + heads * Double(mla.valueHeadDim) * h
        } else {
            let q = Double(a.attentionWidth)
            let kv = Double(a.keyValueHeads * a.headDim)
            attention = h * (q + 2 * kv) + q * h + (a.attentionBias ? q + 2 * kv : 0) + (a.mlpBias ? h : 0)
        }
        let matrices: Double = a.mlp == .gated ? 3 : 2
        func mlp(_ size: Int) -> Double {
            let f = Double(size)
            return matrices * h * f + (a.mlpBias ? f + h : 0)
        }
        // Two norms per layer; LayerNorm (GPT-2, bias) has two vectors each.
        let norms = (a.mlpBias ? 4 : 2) * h
        let denseLayer = attention + mlp(a.intermediateSize) + norms
        var layersTotal: Double
        var layersActive: Double
        var moeLayerTotal = denseLayer
        if let moe = a.moe {
            let router = h * Double(moe.experts)
            let expert = mlp(moe.expertIntermediateSize)
            let shared = moe.sharedIntermediateSize > 0 ? mlp(moe.sharedIntermediateSize) : 0
            moeLayerTotal = attention + norms + router + Double(moe.experts) * expert + shared
            let moeLayerActive = attention + norms + router + Double(moe.expertsPerToken) * expert + shared
            let moeLayers = Double(a.layers - moe.denseLayers)
            layersTotal = Double(moe.denseLayers) * denseLayer + moeLayers * moeLayerTotal
            layersActive = Double(moe.denseLayers) * denseLayer + moeLayers * moeLayerActive
        } else {
            layersTotal = Double(a.layers) * denseLayer
            layersActive = layersTotal
        }
        tokenEmbedding = Double(a.vocabularySize) * h
        positionEmbedding = Double(a.learnedPositions ?? 0) * h
        untiedHead = a.tiedEmbeddings ? 0 : Double(a.vocabularySize) * h
        let finalNorm = (a.mlpBias ? 2 : 1) * h
        let outside = tokenEmbedding + positionEmbedding + untiedHead + finalNorm
        total = layersTotal + outside
        active = layersActive + outside
        // Each MTP module: two norms, a 2h→h projection and one (last-layer-style) transformer block.
        multiTokenPrediction = Double(a.multiTokenPredictionLayers) * (2 * h + 2 * h * h + moeLayerTotal)
    }

    /// Which parameters a convention counts as N.
    public func counted(_ convention: ParameterConvention, active useActive: Bool) -> Double {
        let base = useActive ? active : total
        switch convention {
        case .all: return base
        case .nonEmbedding: return base - tokenEmbedding - positionEmbedding - untiedHead
        case .withoutInputEmbedding: return base - (untiedHead > 0 ? tokenEmbedding : 0) - positionEmbedding
        case .withoutPositionEmbedding: return base - positionEmbedding
        }
    }
}

/// Which parameters count as N in 6N-style formulas; each published convention differs (mfu-formulas.md §2.6).
public enum ParameterConvention: String, Sendable, CaseIterable {
    /// Every parameter (MosaicML llm-foundry, PaLM's own N).
    case all
    /// Non-embedding parameters (Kaplan et al. 2020 §2.1): no token/position embedding, no output head.
    case nonEmbedding = "non-embedding"
    /// All but the input token embedding (torchtitan); for tied models the shared matrix counts as the head.
    case withoutInputEmbedding = "no-input-embedding"
    /// All but learned position embeddings (nanoGPT `estimate_mfu`).
    case withoutPositionEmbedding = "no-position-embedding"
}
