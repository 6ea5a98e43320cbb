/// FLOPs one token costs under a formula: what the model needs (MFU) and what the hardware executes (HFU).
public struct FLOPsPerToken: Sendable, Equatable {
    /// Model FLOPs per token (forward + backward for training, forward only for inference).
    public var model: Double
    /// Hardware FLOPs per token, recomputation included; equal to `model` when nothing is recomputed.
    public var hardware: Double
    /// The named terms that add up to `model`, for explanations ("6N", "attention 12·L·H·Q·T", "logits").
    public var terms: [Term]

    public struct Term: Sendable, Equatable {
        public var name: String
        public var flops: Double
    }
}

extension FLOPsFormula {
    /// FLOPs per token for `shape` at training sequence length / prompt length `sequence` (and decode `context`).
    ///
    /// Every quantity the formula needs must be present in `shape`; a missing one is an error naming the flag
    /// that supplies it. Conventions: `attention` scales the score term (full T², causal T²/2, none), and
    /// `recompute` adds the recomputed forward FLOPs to the hardware count.
    public func flopsPerToken(
        _ shape: TransformerShape, sequence: Int?, context: Int? = nil, attention: AttentionConvention? = nil, recompute: RecomputeMode = .none
    ) throws(InputError) -> FLOPsPerToken {
        let attention = attention ?? defaultAttention
        if !isTraining, recompute != .none {
            throw InputError("--recompute", "\(recompute.rawValue) does not apply to \(rawValue)", expected: "none (inference recomputes nothing)")
        }
        switch self {
        case .kaplan:
            let n = try need(shape.parameters, "--params (N)")
            let hardware: Double
            switch recompute {
            case .none, .selective: hardware = 6 * n
            case .full: hardware = 8 * n
            case .palmRemat: hardware = 7.5 * n
            }
            return FLOPsPerToken(model: 6 * n, hardware: hardware, terms: [.init(name: "6N", flops: 6 * n)])

        case .palm:
            let n = try need(shape.parameters, "--params (N)")
            let scores = try scoreFLOPs(shape, length: sequence, flag: "--seq-len") * attention.factor
            // 6·L·H·(2·Q·T): QKᵀ and A·V, forward + backward = 12·L·H·Q·T (full matrix).
            let model = 6 * n + 3 * scores
            let hardware: Double
            switch recompute {
            case .none: hardware = model
            case .full: hardware = 8 * n + 4 * scores
            case .selective: hardware = 6 * n + 4 * scores
            case .palmRemat: hardware = 7.5 * n + 4 * scores
            }
            return FLOPsPerToken(
                model: model, hardware: hardware, terms: [.init(name: "6N", flops: 6 * n), .init(name: "attention 12·L·H·Q·T", flops: 3 * scores)])

        case .megatron, .korthikanti:
            let l = Double(try need(shape.layers, "--layers"))
            let h = Double(try need(shape.hiddenSize, "--d-model"))
            let v = Double(try need(shape.vocabulary, "--vocab"))
            let s = Double(try need(sequence, "--seq-len"))
            let a = attention.factor
            // Per token: 72·l·h²·(1 + s/6h + V/12lh) = 72lh² + 12·l·h·s + 6·h·V.
            let layers = 72 * l * h * h
            let scores = 12 * l * h * s * a
            let logits = 6 * h * v
            let model = layers + scores + logits
            let hardware: Double
            switch recompute {
            case .none: hardware = model
            // 96·l·h²·(1 + s/6h + V/16lh): every layer forward again (×4/3), the logit layer not.
            case .full: hardware = model + (layers + scores) / 3
            // 72·l·h²·(1 + s/3h + V/12lh) as Korthikanti et al. publish it (Table 5 reproduces with it): the score term
            // counted twice, although recomputing the score forward alone would add a third of it.
            case .selective: hardware = model + scores
            case .palmRemat:
                throw InputError("--recompute", "palm-remat is defined for the palm and kaplan formulas", expected: "none, full or selective")
            }
            return FLOPsPerToken(
                model: model, hardware: hardware,
                terms: [
                    .init(name: "layers 72·l·h²", flops: layers), .init(name: "attention 12·l·h·s", flops: scores),
                    .init(name: "logits 6·h·V", flops: logits),
                ])

        case .megatronCore:
            return try megatronCore(shape, sequence: sequence, attention: attention, recompute: recompute)

        case .inferencePrefill:
            let n = try need(shape.parameters, "--params (N)")
            let scores = try scoreFLOPs(shape, length: sequence, flag: "--seq-len") * attention.factor
            return FLOPsPerToken(
                model: 2 * n + scores, hardware: 2 * n + scores, terms: [.init(name: "2N", flops: 2 * n), .init(name: "attention", flops: scores)])

        case .inferenceDecode:
            let n = try need(shape.parameters, "--params (N)")
            // One query against c cached positions: 2·H·Q·c for QKᵀ plus 2·H·Q·c for A·V per layer = 4·L·H·Q·c.
            // The causal discount does not apply; `none` drops the term.
            let scores = attention == .none ? 0 : try scoreFLOPs(shape, length: context ?? sequence, flag: "--context")
            return FLOPsPerToken(
                model: 2 * n + scores, hardware: 2 * n + scores,
                terms: [.init(name: "2N", flops: 2 * n), .init(name: "attention 4·L·H·Q·c", flops: scores)])
        }
    }

    /// Forward FLOPs of QKᵀ and A·V for one token attending to `length` positions: 4·L·H·Q·length
    /// (MLA: 2·L·H·(qk_nope+qk_rope)·length + 2·L·H·v·length, the MHA-equivalent count).
    private func scoreFLOPs(_ shape: TransformerShape, length: Int?, flag: String) throws(InputError) -> Double {
        let l = Double(try need(shape.layers, "--layers"))
        let t = Double(try need(length, flag))
        if let mla = shape.latentAttention, let heads = shape.heads {
            let h = Double(heads)
            return 2 * l * h * Double(mla.qkNopeHeadDim + mla.qkRopeHeadDim) * t + 2 * l * h * Double(mla.valueHeadDim) * t
        }
        guard let width = shape.attentionWidth else {
            throw InputError(
                "--heads/--head-dim", "the attention term needs the attention width H·Q", expected: "--heads and --head-dim, or --d-model")
        }
        return 4 * l * Double(width) * t
    }

    /// Megatron-Core `num_floating_point_operations` divided by B·s (Megatron-LM `training.py`, 2025).
    private func megatronCore(
        _ shape: TransformerShape, sequence: Int?, attention: AttentionConvention, recompute: RecomputeMode
    ) throws(InputError) -> FLOPsPerToken {
        let baseLayers = try need(shape.layers, "--layers")
        let h = Double(try need(shape.hiddenSize, "--d-model"))
        let v = Double(try need(shape.vocabulary, "--vocab"))
        let s = Double(try need(sequence, "--seq-len"))
        let heads = Double(try need(shape.heads, "--heads"))
        let ffn = Double(try need(shape.ffn, "--ffn"))
        let mtp = Double(shape.multiTokenPredictionLayers)
        let ffnExpansion: Double = shape.gatedMLP ? 3 : 2
        // Score term relative to the full matrix: the published formula halves it (causal).
        let scoreScale = attention.factor * 2

        var denseLayers = Double(baseLayers)
        var moeLayers = 0.0
        var routed = 0.0
        var shared = 0.0
        var expertSize = ffn
        if let moe = shape.moe {
            moeLayers = Double(baseLayers - moe.denseLayers)
            denseLayers = Double(moe.denseLayers)
            routed = Double(moe.expertsPerToken)
            shared = Double(moe.sharedIntermediateSize)
            expertSize = Double(moe.expertIntermediateSize)
            // MTP layers follow the last layer's kind (MoE here).
            moeLayers += mtp
        } else {
            denseLayers += mtp
        }
        let layers = Double(baseLayers) + mtp

        let mlp = 6 * h * (ffn * ffnExpansion * denseLayers + expertSize * routed * ffnExpansion * moeLayers + shared * ffnExpansion * moeLayers)
        let projections: Double
        let scores: Double
        if let mla = shape.latentAttention {
            let qk = Double(mla.qkNopeHeadDim)
            let rope = Double(mla.qkRopeHeadDim)
            let vDim = Double(mla.valueHeadDim)
            let kvRank = Double(mla.keyValueRank)
            let query: Double
            if let rank = mla.queryRank.map(Double.init) {
                query = rank * (h + heads * (qk + rope) + 1)
            } else {
                query = h * heads * (qk + rope)
            }
            projections = 6 * (query + kvRank * (h + heads * (qk + vDim) + 1) + h * rope + heads * vDim * h) * layers
            scores = 6 * (s * heads * (qk + rope) / 2 + s * heads * vDim / 2) * layers * scoreScale
        } else {
            let headDim = Double(shape.headDim ?? Int(h / heads))
            let kvHeads = Double(shape.keyValueHeads ?? Int(heads))
            let query = headDim * heads
            let keyValue = headDim * kvHeads
            projections = 6 * (h * (query + 2 * keyValue) + query * h) * layers
            scores = 6 * (query * s / 2 * 2) * layers * scoreScale
        }
        let mtpProjections = 6 * mtp * (3 * h + 2 * h * h)
        let logits = 6 * h * v * (mtp + 1)
        let model = mlp + projections + scores + mtpProjections + logits
        let hardware: Double
        switch recompute {
        case .none: hardware = model
        case .full: hardware = model + (mlp + projections + scores + mtpProjections) / 3
        case .selective: hardware = model + scores / 3
        case .palmRemat:
            throw InputError("--recompute", "palm-remat is defined for the palm and kaplan formulas", expected: "none, full or selective")
        }
        return FLOPsPerToken(
            model: model, hardware: hardware,
            terms: [
                .init(name: "MLP/experts", flops: mlp), .init(name: "attention projections", flops: projections),
                .init(name: "attention scores", flops: scores), .init(name: "MTP", flops: mtpProjections), .init(name: "logits", flops: logits),
            ])
    }
}

func need<T>(_ value: T?, _ flag: String) throws(InputError) -> T {
    try InputError.required(value, flag)
}
