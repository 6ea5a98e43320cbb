extension ModelSpec {
    /// KV-cache bytes one token occupies across the whole model.
    ///
    /// Standard attention: 2 (K and V) · L · kv_heads · head_dim · bytes (the GQA form; MHA when kv_heads = heads).
    /// MLA (DeepSeek-V2/V3) caches the compressed latent and the rope key: L · (kv_lora_rank + qk_rope_head_dim) · bytes.
    /// Sliding windows are ignored (the estimate is conservative: full context is assumed for every layer).
    public func kvCacheBytesPerToken(_ precision: Precision) -> Double {
        let a = architecture
        if let mla = a.latentAttention {
            return Double(a.layers) * Double(mla.keyValueRank + mla.qkRopeHeadDim) * precision.bytes
        }
        return 2 * Double(a.layers) * Double(a.keyValueHeads) * Double(a.headDim) * precision.bytes
    }

    /// KV-cache bytes per token held by one GPU at tensor-parallel degree `tp`: KV heads are split across ranks
    /// and replicated once `tp` exceeds them; an MLA latent is replicated on every rank.
    public func kvCacheBytesPerTokenPerGPU(_ precision: Precision, tensorParallel tp: Int) -> Double {
        let a = architecture
        if a.latentAttention != nil { return kvCacheBytesPerToken(precision) }
        let headsPerRank = (a.keyValueHeads + tp - 1) / tp
        return 2 * Double(a.layers) * Double(headsPerRank) * Double(a.headDim) * precision.bytes
    }
}
