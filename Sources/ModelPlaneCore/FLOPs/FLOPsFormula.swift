/// A published convention for counting a transformer's FLOPs per token. Each gives a different MFU for the
/// same run (mfu-formulas.md §2.6), so every result names the one it used.
public enum FLOPsFormula: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Kaplan et al. 2020 (arXiv:2001.08361, §2.1): C ≈ 6N per training token, N non-embedding (active for MoE).
    case kaplan
    /// Chowdhery et al. 2022, PaLM (arXiv:2204.02311, Appendix B): 6N + 12·L·H·Q·T; HFU with rematerialization
    /// 7.5N + 16·L·H·Q·T.
    case palm
    /// Narayanan et al. 2021, Megatron-LM (arXiv:2104.04473, §5.1 and appendix): model FLOPs
    /// 72·B·s·l·h²·(1 + s/6h + V/12lh); with full recompute 96·B·s·l·h²·(1 + s/6h + V/16lh).
    case megatron
    /// Korthikanti et al. 2022 (arXiv:2205.05198, §6): model FLOPs as Megatron; selective recompute hardware
    /// FLOPs 72·B·s·l·h²·(1 + s/3h + V/12lh).
    case korthikanti
    /// Current Megatron-Core / NeMo Megatron-Bridge `num_floating_point_operations`: GQA, SwiGLU, MoE top-k and
    /// shared experts, MLA, MTP, output logits, and causal halving of the attention score term.
    case megatronCore = "megatron-core"
    /// Inference prefill (Kaplan C_forward; Pope et al. 2022, arXiv:2211.05102): 2N + 2·L·H·Q·T per prompt token
    /// (causal: the average token attends to T/2 positions).
    case inferencePrefill = "inference-prefill"
    /// Inference decode at context c with a KV cache: 2N + 4·L·H·Q·c per generated token (no causal discount:
    /// the one new query attends to all c cached positions).
    case inferenceDecode = "inference-decode"

    public var description: String { rawValue }

    /// One line for `--help` and for result output.
    public var summary: String {
        switch self {
        case .kaplan: "6N per token, N = non-embedding (active for MoE) params; no attention term (Kaplan et al. 2020)"
        case .palm: "6N + 12·L·H·Q·T, full T² attention; HFU remat 7.5N + 16·L·H·Q·T (PaLM, Chowdhery et al. 2022, App. B)"
        case .megatron: "72·l·h²·(1+s/6h+V/12lh) per token; full recompute 96·l·h²·(1+s/6h+V/16lh) (Narayanan et al. 2021)"
        case .korthikanti: "Megatron model FLOPs; selective-recompute HFU 72·l·h²·(1+s/3h+V/12lh) (Korthikanti et al. 2022)"
        case .megatronCore: "Megatron-Core accounting: GQA, SwiGLU, MoE top-k + shared, MLA, MTP, logits, causal s/2 attention"
        case .inferencePrefill: "2N + 2·L·H·Q·T per prompt token, causal attention (forward only; Pope et al. 2022)"
        case .inferenceDecode: "2N + 4·L·H·Q·c per generated token at context c, KV cache (forward only; Pope et al. 2022)"
        }
    }

    /// A line short enough for an 80-column `--help`.
    public var helpLine: String {
        switch self {
        case .kaplan: "6N, N = non-embedding params (Kaplan et al. 2020)"
        case .palm: "6N + 12·L·H·Q·T; remat HFU 7.5N + 16·L·H·Q·T (PaLM)"
        case .megatron: "72·l·h²·(1+s/6h+V/12lh); full recompute 96× (Narayanan)"
        case .korthikanti: "Megatron MFU; selective-recompute HFU s/3h (Korthikanti)"
        case .megatronCore: "GQA, SwiGLU, MoE, MLA, MTP, causal s/2 (Megatron-Core)"
        case .inferencePrefill: "2N + 2·L·H·Q·T per prompt token, causal, forward only"
        case .inferenceDecode: "2N + 4·L·H·Q·c per generated token at context c"
        }
    }

    /// Whether the formula counts forward and backward passes (training) or the forward pass only.
    public var isTraining: Bool { self != .inferencePrefill && self != .inferenceDecode }

    /// The attention-score convention the formula uses as published.
    public var defaultAttention: AttentionConvention {
        switch self {
        case .kaplan: .none
        case .palm, .megatron, .korthikanti, .inferenceDecode: .full
        case .megatronCore, .inferencePrefill: .causal
        }
    }

    /// The default set of parameters counted as N.
    public var defaultParameterConvention: ParameterConvention {
        self == .kaplan ? .nonEmbedding : .all
    }
}

/// How the attention-score matmuls (QKᵀ and A·V) are counted over a sequence of length T.
public enum AttentionConvention: String, Sendable, CaseIterable {
    /// Not counted (6N-only conventions).
    case none
    /// The full T×T matrix (PaLM, Narayanan, nanoGPT, torchtitan, MosaicML).
    case full
    /// Half the matrix, as causal masking executes (Megatron-Bridge; Kaplan's forward count).
    case causal

    /// Multiplier on the full-matrix count.
    public var factor: Double {
        switch self {
        case .none: 0
        case .full: 1
        case .causal: 0.5
        }
    }
}

/// Activation recomputation, which adds hardware FLOPs (HFU) but not model FLOPs (MFU).
public enum RecomputeMode: String, Sendable, CaseIterable {
    /// Nothing recomputed: HFU equals MFU.
    case none
    /// Every layer's forward pass recomputed in the backward pass (Megatron full recompute): ×4/3 on layer FLOPs.
    case full
    /// Only attention scores and A·V recomputed (Korthikanti et al. 2022).
    case selective
    /// PaLM's rematerialization: 75% of non-attention forward FLOPs and all attention forward FLOPs recomputed.
    case palmRemat = "palm-remat"
}
