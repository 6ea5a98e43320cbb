/// Imports a Hugging Face `config.json` into a `ModelSpec`: dense, GQA, MoE (Mixtral, Qwen, DeepSeek) and MLA fields.
///
/// Field names differ between families (`hidden_size` / `n_embd` / `d_model`); each fact is read from the first
/// name present. A missing required field or an inconsistent combination fails with the file and field named.
public enum HuggingFaceConfig {
    /// Families whose feed-forward is a plain two-matrix MLP; every other family is gated (SwiGLU/GeGLU).
    static let plainMLPFamilies: Set<String> = ["gpt2", "gpt_neox", "gptj", "opt", "bloom", "falcon", "gpt_bigcode", "phi", "starcoder2"]
    /// Families that tie input and output embeddings when the config does not say (HF's default is tied).
    static let defaultUntiedFamilies: Set<String> = ["llama", "mistral", "mixtral", "qwen2_moe", "qwen3_moe", "deepseek_v2", "deepseek_v3", "phi3"]

    /// Parses JSON text of a config.json.
    public static func parse(json: String, source: String, name: String? = nil) throws(InputError) -> ModelSpec {
        try spec(from: try JSONReader.parse(json, source: source), source: source, name: name)
    }

    /// Builds a spec from an already-read config.
    public static func spec(from value: ConfigValue, source: String, name: String? = nil) throws(InputError) -> ModelSpec {
        let config = ConfigCursor(value, path: "\(source):")
        _ = try config.keys()
        // Multimodal wrappers keep the language model under text_config.
        if let text = config.child("text_config"), !config.has("num_hidden_layers"), !config.has("n_layer") {
            return try spec(from: text.value, source: "\(source): text_config", name: name)
        }
        let family = try config.optionalString("model_type")?.lowercased() ?? "unknown"
        let hidden = try config.requiredInt("hidden_size", "n_embd", "d_model", "dim")
        let layers = try config.requiredInt("num_hidden_layers", "n_layer", "num_layers", "n_layers")
        let heads = try config.requiredInt("num_attention_heads", "n_head", "num_heads", "n_heads")
        let vocab = try config.requiredInt("vocab_size", "padded_vocab_size")
        guard heads > 0 else { throw InputError("\(source): num_attention_heads", "\(heads) is not positive") }
        let kvHeads = try config.optionalInt("num_key_value_heads", "n_kv_heads", "num_kv_heads", "multi_query_group_num") ?? heads
        let headDim: Int
        if let explicit = try config.optionalInt("head_dim", "kv_channels") {
            headDim = explicit
        } else {
            guard hidden % heads == 0 else {
                throw InputError(
                    "\(source): hidden_size", "\(hidden) is not divisible by \(heads) attention heads and no head_dim is given",
                    expected: "a head_dim field, or hidden_size a multiple of num_attention_heads")
            }
            headDim = hidden / heads
        }
        let plain = plainMLPFamilies.contains(family)
        let intermediate = try config.optionalInt("intermediate_size", "n_inner", "ffn_dim", "d_ff", "ffn_hidden_size") ?? (plain ? 4 * hidden : 0)
        guard intermediate > 0 else {
            throw InputError(
                "\(source):", "missing field \"intermediate_size\"", expected: "the feed-forward size (intermediate_size, n_inner or ffn_dim)")
        }
        let tied = try config.optionalBool("tie_word_embeddings") ?? !defaultUntiedFamilies.contains(family)
        let maxContext = try config.optionalInt("max_position_embeddings", "n_positions", "n_ctx", "seq_length", "max_seq_len") ?? 2048
        let learnedPositions =
            family == "gpt2" || family == "gpt_bigcode" || family == "opt" ? try config.optionalInt("n_positions", "max_position_embeddings") : nil
        let useSliding = try config.optionalBool("use_sliding_window") ?? true
        let window = useSliding ? try config.optionalInt("sliding_window") : nil

        var architecture = ModelArchitecture(
            layers: layers, hiddenSize: hidden, attentionHeads: heads, keyValueHeads: kvHeads, headDim: headDim, vocabularySize: vocab,
            intermediateSize: intermediate, mlp: plain ? .plain : .gated, tiedEmbeddings: tied, learnedPositions: learnedPositions,
            maxContext: maxContext,
            attentionBias: try config.optionalBool("attention_bias", "qkv_bias") ?? (family == "qwen2" || family == "qwen2_moe" || plain),
            mlpBias: try config.optionalBool("mlp_bias") ?? plain,
            multiTokenPredictionLayers: try config.optionalInt("num_nextn_predict_layers", "mtp_num_layers") ?? 0, slidingWindow: window)
        architecture.moe = try moe(config, layers: layers, intermediate: intermediate)
        architecture.latentAttention = try latentAttention(config)
        try architecture.validate(source: source)

        let dtype = try config.optionalString("torch_dtype", "dtype")
        let precision = try dtype.map { text throws(InputError) -> Precision in
            guard let parsed = Precision(name: text) else {
                throw InputError("\(source): torch_dtype", "unknown dtype \"\(text)\"", expected: "float32, bfloat16, float16 or float8")
            }
            return parsed
        }
        let nameOrPath = try config.optionalString("_name_or_path")
        let display = name ?? nameOrPath ?? source
        return ModelSpec(
            name: name ?? source, displayName: display, family: family, architecture: architecture, nativePrecision: precision,
            quantization: try quantization(config), source: source)
    }

    private static func moe(_ config: ConfigCursor, layers: Int, intermediate: Int) throws(InputError) -> MixtureOfExperts? {
        guard let experts = try config.optionalInt("num_local_experts", "num_experts", "n_routed_experts", "moe_num_experts"), experts > 1 else {
            return nil
        }
        guard let topK = try config.optionalInt("num_experts_per_tok", "moe_top_k", "num_selected_experts", "top_k") else {
            throw InputError("\(config.path)", "MoE config with \(experts) experts has no \"num_experts_per_tok\"", expected: "the router top-k")
        }
        let expertSize = try config.optionalInt("moe_intermediate_size", "expert_intermediate_size") ?? intermediate
        var shared = 0
        if let count = try config.optionalInt("n_shared_experts", "num_shared_experts"), count > 0 {
            shared = count * expertSize
        } else if let size = try config.optionalInt("shared_expert_intermediate_size"), size > 0 {
            shared = size
        }
        var dense = try config.optionalInt("first_k_dense_replace") ?? 0
        if let onlyMLP = config.child("mlp_only_layers") { dense += try onlyMLP.asArray().count }
        if let step = try config.optionalInt("decoder_sparse_step"), step > 1 {
            dense += layers - layers / step
        }
        if let frequency = try config.optionalInt("moe_layer_freq"), frequency > 1 {
            let moeLayers = (layers - dense + frequency - 1) / frequency
            dense = layers - moeLayers
        }
        return MixtureOfExperts(
            experts: experts, expertsPerToken: topK, expertIntermediateSize: expertSize, sharedIntermediateSize: shared, denseLayers: dense)
    }

    private static func latentAttention(_ config: ConfigCursor) throws(InputError) -> LatentAttention? {
        guard let kvRank = try config.optionalInt("kv_lora_rank") else { return nil }
        guard let nope = try config.optionalInt("qk_nope_head_dim"), let rope = try config.optionalInt("qk_rope_head_dim"),
            let value = try config.optionalInt("v_head_dim")
        else {
            throw InputError(
                "\(config.path)", "kv_lora_rank is set but qk_nope_head_dim, qk_rope_head_dim or v_head_dim is missing",
                expected: "all four multi-head latent attention fields")
        }
        return LatentAttention(
            queryRank: try config.optionalInt("q_lora_rank"), keyValueRank: kvRank, qkNopeHeadDim: nope, qkRopeHeadDim: rope, valueHeadDim: value)
    }

    private static func quantization(_ config: ConfigCursor) throws(InputError) -> WeightFormat? {
        guard let block = config.first(["quantization_config", "quantization"]) else { return nil }
        let method = try block.optionalString("quant_method", "quant_algo")?.lowercased() ?? "unknown"
        let bits = try block.optionalInt("bits", "w_bit", "num_bits") ?? (method == "fp8" ? 8 : 4)
        let group = try block.optionalInt("group_size", "q_group_size") ?? 128
        switch (method, bits) {
        case ("fp8", _), ("fbgemm_fp8", _): return .fp8
        case (_, 8): return .int8
        case (_, 4): return .int4(method: method == "awq" ? "awq" : "gptq", groupSize: group > 0 ? group : 128)
        default:
            throw InputError(
                "\(block.path).quant_method", "unsupported quantization \(method) with \(bits) bits", expected: "fp8, or 8- or 4-bit awq/gptq")
        }
    }
}
