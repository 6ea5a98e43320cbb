/// Real Hugging Face `config.json` contents of widely deployed open models (architecture fields only),
/// imported at start-up by `HuggingFaceConfig`. Sources are given per entry.
///
/// Each `configJSON` keeps the real file's own key names and values (a subset of the file, never a rewrite).
/// Fields that could not be checked against a copy of the real file are called out as "unverified".
enum BuiltinModelConfigs {
    struct Entry: Sendable {
        /// Catalog name, lower-case, e.g. "llama-3.1-8b".
        let name: String
        /// Other names operators type: the HF repo id, short forms ("llama3-8b", "meta-llama/Meta-Llama-3.1-8B").
        let aliases: [String]
        /// Display name, e.g. "Llama 3.1 8B".
        let displayName: String
        let huggingFaceRepo: String
        /// Published total parameter count (not derived), e.g. 8.03e9.
        let publishedTotalParameters: Double
        /// Published active parameters per token for MoE models; nil for dense.
        let publishedActiveParameters: Double?
        /// Where the published counts and the config came from.
        let source: String
        /// The config.json subset, verbatim JSON.
        let configJSON: String
    }

    static let entries: [Entry] = [
        // Verified from a verbatim config.json copy. No head_dim key in the original 3.1 config (128 = 4096 / 32).
        Entry(
            name: "llama-3.1-8b",
            aliases: ["meta-llama/Llama-3.1-8B", "meta-llama/Meta-Llama-3.1-8B", "llama3.1-8b", "llama-3.1-8b-base", "llama3-8b"],
            displayName: "Llama 3.1 8B",
            huggingFaceRepo: "meta-llama/Llama-3.1-8B",
            publishedTotalParameters: 8.03e9,
            publishedActiveParameters: nil,
            source: "Config: verbatim copy of meta-llama/Llama-3.1-8B config.json in github.com/citsjtu2020/LLM-Prof (sglang/Model_Config.md); "
                + "dims cross-checked with the Llama 3 paper (arXiv:2407.21783, Table 3) and oumi configs/recipes/llama3_1/README.md. "
                + "Parameters: 8.03B as shown on the Hugging Face model page (model card: \"8B\").",
            configJSON: #"""
                {
                  "model_type": "llama",
                  "architectures": [
                    "LlamaForCausalLM"
                  ],
                  "hidden_size": 4096,
                  "intermediate_size": 14336,
                  "num_hidden_layers": 32,
                  "num_attention_heads": 32,
                  "num_key_value_heads": 8,
                  "vocab_size": 128256,
                  "max_position_embeddings": 131072,
                  "tie_word_embeddings": false,
                  "torch_dtype": "bfloat16",
                  "rope_theta": 500000.0,
                  "attention_bias": false,
                  "mlp_bias": false,
                  "hidden_act": "silu"
                }
                """#
        ),
        // A copy of the base repo's own file was not found; every field kept here is identical in all 70B copies found.
        Entry(
            name: "llama-3.1-70b",
            aliases: ["meta-llama/Llama-3.1-70B", "meta-llama/Meta-Llama-3.1-70B", "llama3.1-70b", "llama-3.1-70b-base", "llama3-70b"],
            displayName: "Llama 3.1 70B",
            huggingFaceRepo: "meta-llama/Llama-3.1-70B",
            publishedTotalParameters: 70.6e9,
            publishedActiveParameters: nil,
            source: "Config: architecture fields match verbatim Llama-3.1-70B-family config.json copies on GitHub (Llama-3.1-70B-Instruct, "
                + "transformers 4.42.3, and DeepSeek-R1-Distill-Llama-70B, which reuses the base architecture); cross-checked with the Llama "
                + "3 paper (Table 3) and oumi configs/recipes/llama3_1/README.md. Parameters: 70.6B on the Hugging Face model page (model "
                + "card: \"70B\").",
            configJSON: #"""
                {
                  "model_type": "llama",
                  "architectures": [
                    "LlamaForCausalLM"
                  ],
                  "hidden_size": 8192,
                  "intermediate_size": 28672,
                  "num_hidden_layers": 80,
                  "num_attention_heads": 64,
                  "num_key_value_heads": 8,
                  "vocab_size": 128256,
                  "max_position_embeddings": 131072,
                  "tie_word_embeddings": false,
                  "torch_dtype": "bfloat16",
                  "rope_theta": 500000.0,
                  "attention_bias": false,
                  "mlp_bias": false,
                  "hidden_act": "silu"
                }
                """#
        ),
        // A copy of the base repo's own file was not found; torch_dtype "bfloat16" is taken from the derived copy.
        Entry(
            name: "llama-3.1-405b",
            aliases: ["meta-llama/Llama-3.1-405B", "meta-llama/Meta-Llama-3.1-405B", "llama3.1-405b", "llama-3.1-405b-base", "llama3-405b"],
            displayName: "Llama 3.1 405B",
            huggingFaceRepo: "meta-llama/Llama-3.1-405B",
            publishedTotalParameters: 406e9,
            publishedActiveParameters: nil,
            source: "Config: architecture fields match a Llama-3.1-405B-derived config.json copy used for vLLM/SGLang benchmarking (FP8 dummy "
                + "weights; its quantization_config is not part of the BF16 base repo and is dropped here) and the Llama 3 paper (Table 3: "
                + "126 layers, model dim 16,384, FFN dim 53,248, 128 heads, 8 KV heads, RoPE theta 500,000). Parameters: 406B on the Hugging "
                + "Face model page (paper / model card: \"405B\").",
            configJSON: #"""
                {
                  "model_type": "llama",
                  "architectures": [
                    "LlamaForCausalLM"
                  ],
                  "hidden_size": 16384,
                  "intermediate_size": 53248,
                  "num_hidden_layers": 126,
                  "num_attention_heads": 128,
                  "num_key_value_heads": 8,
                  "vocab_size": 128256,
                  "max_position_embeddings": 131072,
                  "tie_word_embeddings": false,
                  "torch_dtype": "bfloat16",
                  "rope_theta": 500000.0,
                  "attention_bias": false,
                  "mlp_bias": false,
                  "hidden_act": "silu"
                }
                """#
        ),
        // Verified from a verbatim config.json copy (Instruct sibling; architecture fields identical).
        Entry(
            name: "llama-3.2-1b",
            aliases: ["meta-llama/Llama-3.2-1B", "llama3.2-1b", "llama-3.2-1b-base"],
            displayName: "Llama 3.2 1B",
            huggingFaceRepo: "meta-llama/Llama-3.2-1B",
            publishedTotalParameters: 1.23e9,
            publishedActiveParameters: nil,
            source: "Config: verbatim Llama-3.2-1B(-Instruct) config.json copy (with HF _commit_hash) in "
                + "github.com/kevinstephano/thunder_model_blocks (hf_llama/llama_config.py); the base and Instruct repos share the "
                + "architecture. Parameters: Llama 3.2 model card, \"1B (1.23B)\".",
            configJSON: #"""
                {
                  "model_type": "llama",
                  "architectures": [
                    "LlamaForCausalLM"
                  ],
                  "hidden_size": 2048,
                  "intermediate_size": 8192,
                  "num_hidden_layers": 16,
                  "num_attention_heads": 32,
                  "num_key_value_heads": 8,
                  "head_dim": 64,
                  "vocab_size": 128256,
                  "max_position_embeddings": 131072,
                  "tie_word_embeddings": true,
                  "torch_dtype": "bfloat16",
                  "rope_theta": 500000.0,
                  "attention_bias": false,
                  "mlp_bias": false,
                  "hidden_act": "silu"
                }
                """#
        ),
        // Verified from a verbatim config.json copy.
        Entry(
            name: "llama-3.2-3b",
            aliases: ["meta-llama/Llama-3.2-3B", "llama3.2-3b", "llama-3.2-3b-base"],
            displayName: "Llama 3.2 3B",
            huggingFaceRepo: "meta-llama/Llama-3.2-3B",
            publishedTotalParameters: 3.21e9,
            publishedActiveParameters: nil,
            source: "Config: verbatim copy of meta-llama/Llama-3.2-3B config.json in github.com/citsjtu2020/LLM-Prof (sglang/Model_Config.md); "
                + "same values in a Llama-3.2-3B config generator on GitHub. Parameters: Llama 3.2 model card, \"3B (3.21B)\".",
            configJSON: #"""
                {
                  "model_type": "llama",
                  "architectures": [
                    "LlamaForCausalLM"
                  ],
                  "hidden_size": 3072,
                  "intermediate_size": 8192,
                  "num_hidden_layers": 28,
                  "num_attention_heads": 24,
                  "num_key_value_heads": 8,
                  "head_dim": 128,
                  "vocab_size": 128256,
                  "max_position_embeddings": 131072,
                  "tie_word_embeddings": true,
                  "torch_dtype": "bfloat16",
                  "rope_theta": 500000.0,
                  "attention_bias": false,
                  "mlp_bias": false,
                  "hidden_act": "silu"
                }
                """#
        ),
        // Verified from verbatim config.json copies.
        Entry(
            name: "mistral-7b-v0.1",
            aliases: ["mistralai/Mistral-7B-v0.1", "mistral-7b", "mistral7b"],
            displayName: "Mistral 7B v0.1",
            huggingFaceRepo: "mistralai/Mistral-7B-v0.1",
            publishedTotalParameters: 7.24e9,
            publishedActiveParameters: nil,
            source: "Config: several verbatim copies of mistralai/Mistral-7B-v0.1 config.json on GitHub (transformers 4.34.0.dev0, and a "
                + "MistralConfig dump with _name_or_path mistralai/Mistral-7B-v0.1); cross-checked with the Mistral 7B paper "
                + "(arXiv:2310.06825, Table 1). Parameters: 7.24B on the Hugging Face model page (Mistral's announcement: \"7.3B\").",
            configJSON: #"""
                {
                  "model_type": "mistral",
                  "architectures": [
                    "MistralForCausalLM"
                  ],
                  "hidden_size": 4096,
                  "intermediate_size": 14336,
                  "num_hidden_layers": 32,
                  "num_attention_heads": 32,
                  "num_key_value_heads": 8,
                  "vocab_size": 32000,
                  "max_position_embeddings": 32768,
                  "tie_word_embeddings": false,
                  "torch_dtype": "bfloat16",
                  "rope_theta": 10000.0,
                  "sliding_window": 4096,
                  "hidden_act": "silu"
                }
                """#
        ),
        // Verified from verbatim config.json copies.
        Entry(
            name: "mixtral-8x7b-v0.1",
            aliases: ["mistralai/Mixtral-8x7B-v0.1", "mixtral-8x7b", "mixtral8x7b"],
            displayName: "Mixtral 8x7B v0.1",
            huggingFaceRepo: "mistralai/Mixtral-8x7B-v0.1",
            publishedTotalParameters: 46.7e9,
            publishedActiveParameters: 12.9e9,
            source: "Config: copy of the Mixtral-8x7B config.json in github.com/scaleapi/llm-engine "
                + "(model-engine/tests/unit/domain/test_llm_use_cases.py, transformers 4.36.0.dev0) and other verbatim copies with "
                + "\"sliding_window\": null; cross-checked with the Mixtral paper (arXiv:2401.04088). Parameters: Mistral AI announcement "
                + "\"46.7B total parameters but only uses 12.9B parameters per token\".",
            configJSON: #"""
                {
                  "model_type": "mixtral",
                  "architectures": [
                    "MixtralForCausalLM"
                  ],
                  "hidden_size": 4096,
                  "intermediate_size": 14336,
                  "num_hidden_layers": 32,
                  "num_attention_heads": 32,
                  "num_key_value_heads": 8,
                  "vocab_size": 32000,
                  "max_position_embeddings": 32768,
                  "tie_word_embeddings": false,
                  "torch_dtype": "bfloat16",
                  "rope_theta": 1000000.0,
                  "sliding_window": null,
                  "hidden_act": "silu",
                  "num_local_experts": 8,
                  "num_experts_per_tok": 2
                }
                """#
        ),
        // Verified from verbatim config.json copies. Note: rope_theta is the integer 1000000 in the real file.
        Entry(
            name: "mixtral-8x22b-v0.1",
            aliases: ["mistralai/Mixtral-8x22B-v0.1", "mistral-community/Mixtral-8x22B-v0.1", "mixtral-8x22b", "mixtral8x22b"],
            displayName: "Mixtral 8x22B v0.1",
            huggingFaceRepo: "mistralai/Mixtral-8x22B-v0.1",
            publishedTotalParameters: 141e9,
            publishedActiveParameters: 39e9,
            source: "Config: copy of the Mixtral-8x22B config.json in github.com/scaleapi/llm-engine "
                + "(model-engine/tests/unit/domain/test_llm_use_cases.py) and a second verbatim copy in a Go test (with \"sliding_window\": "
                + "null, \"tie_word_embeddings\": false). Parameters: Mistral AI announcement \"uses only 39B active parameters out of "
                + "141B\".",
            configJSON: #"""
                {
                  "model_type": "mixtral",
                  "architectures": [
                    "MixtralForCausalLM"
                  ],
                  "hidden_size": 6144,
                  "intermediate_size": 16384,
                  "num_hidden_layers": 56,
                  "num_attention_heads": 48,
                  "num_key_value_heads": 8,
                  "vocab_size": 32000,
                  "max_position_embeddings": 65536,
                  "tie_word_embeddings": false,
                  "torch_dtype": "bfloat16",
                  "rope_theta": 1000000,
                  "sliding_window": null,
                  "hidden_act": "silu",
                  "num_local_experts": 8,
                  "num_experts_per_tok": 2
                }
                """#
        ),
        // Verified from a verbatim config.json copy. sliding_window is inactive (use_sliding_window false).
        Entry(
            name: "qwen2.5-7b",
            aliases: ["Qwen/Qwen2.5-7B", "qwen2.5-7b-base", "qwen25-7b"],
            displayName: "Qwen2.5 7B",
            huggingFaceRepo: "Qwen/Qwen2.5-7B",
            publishedTotalParameters: 7.61e9,
            publishedActiveParameters: nil,
            source: "Config: verbatim copy of Qwen/Qwen2.5-7B config.json in github.com/citsjtu2020/LLM-Prof (sglang/Model_Config.md); "
                + "cross-checked with the model card (28 layers, 28 Q / 4 KV heads, context 131,072). Parameters: model card \"Number of "
                + "Parameters: 7.61B\" (non-embedding 6.53B).",
            configJSON: #"""
                {
                  "model_type": "qwen2",
                  "architectures": [
                    "Qwen2ForCausalLM"
                  ],
                  "hidden_size": 3584,
                  "intermediate_size": 18944,
                  "num_hidden_layers": 28,
                  "num_attention_heads": 28,
                  "num_key_value_heads": 4,
                  "vocab_size": 152064,
                  "max_position_embeddings": 131072,
                  "tie_word_embeddings": false,
                  "torch_dtype": "bfloat16",
                  "rope_theta": 1000000.0,
                  "sliding_window": 131072,
                  "use_sliding_window": false,
                  "hidden_act": "silu"
                }
                """#
        ),
        // max_position_embeddings 131072 is unverified: no copy of the base repo's file was found; the Instruct copies have 32768, and 131072 is the
        // base card's stated context length (as in the verified Qwen2.5-7B base config).
        Entry(
            name: "qwen2.5-72b",
            aliases: ["Qwen/Qwen2.5-72B", "qwen2.5-72b-base", "qwen25-72b"],
            displayName: "Qwen2.5 72B",
            huggingFaceRepo: "Qwen/Qwen2.5-72B",
            publishedTotalParameters: 72.7e9,
            publishedActiveParameters: nil,
            source: "Config: architecture fields match verbatim Qwen2.5-72B-Instruct config.json copies on GitHub (transformers 4.43.1; Ascend "
                + "msmodelslim docs and a model report); cross-checked with the model card (80 layers, 64 Q / 8 KV heads). Parameters: model "
                + "card \"Number of Parameters: 72.7B\" (non-embedding 70.0B).",
            configJSON: #"""
                {
                  "model_type": "qwen2",
                  "architectures": [
                    "Qwen2ForCausalLM"
                  ],
                  "hidden_size": 8192,
                  "intermediate_size": 29568,
                  "num_hidden_layers": 80,
                  "num_attention_heads": 64,
                  "num_key_value_heads": 8,
                  "vocab_size": 152064,
                  "max_position_embeddings": 131072,
                  "tie_word_embeddings": false,
                  "torch_dtype": "bfloat16",
                  "rope_theta": 1000000.0,
                  "sliding_window": 131072,
                  "use_sliding_window": false,
                  "hidden_act": "silu"
                }
                """#
        ),
        // Verified from a verbatim config.json copy.
        Entry(
            name: "qwen2.5-0.5b",
            aliases: ["Qwen/Qwen2.5-0.5B", "qwen2.5-0.5b-base", "qwen25-0.5b"],
            displayName: "Qwen2.5 0.5B",
            huggingFaceRepo: "Qwen/Qwen2.5-0.5B",
            publishedTotalParameters: 0.494e9,
            publishedActiveParameters: nil,
            source: "Config: verbatim copy of Qwen/Qwen2.5-0.5B config.json (\"the real files, verbatim, as fetched from the Hub\") in a "
                + "GitHub course repository; cross-checked with the model card (24 layers, 14 Q / 2 KV heads, tied embeddings, context "
                + "32,768). Parameters: 494M on the Hugging Face model page (model card: \"0.49B\", non-embedding 0.36B).",
            configJSON: #"""
                {
                  "model_type": "qwen2",
                  "architectures": [
                    "Qwen2ForCausalLM"
                  ],
                  "hidden_size": 896,
                  "intermediate_size": 4864,
                  "num_hidden_layers": 24,
                  "num_attention_heads": 14,
                  "num_key_value_heads": 2,
                  "vocab_size": 151936,
                  "max_position_embeddings": 32768,
                  "tie_word_embeddings": true,
                  "torch_dtype": "bfloat16",
                  "rope_theta": 1000000.0,
                  "sliding_window": 32768,
                  "use_sliding_window": false,
                  "hidden_act": "silu"
                }
                """#
        ),
        // Verified from a verbatim config.json copy.
        Entry(
            name: "qwen3-30b-a3b",
            aliases: ["Qwen/Qwen3-30B-A3B", "qwen3-30b", "qwen3-moe-30b"],
            displayName: "Qwen3 30B-A3B",
            huggingFaceRepo: "Qwen/Qwen3-30B-A3B",
            publishedTotalParameters: 30.5e9,
            publishedActiveParameters: 3.3e9,
            source: "Config: verbatim copy of Qwen/Qwen3-30B-A3B config.json in github.com/citsjtu2020/LLM-Prof (sglang/Model_Config.md); "
                + "cross-checked with the model card (48 layers, 32 Q / 4 KV heads, 128 experts, 8 activated). Parameters: model card "
                + "\"Number of Parameters: 30.5B in total and 3.3B activated\".",
            configJSON: #"""
                {
                  "model_type": "qwen3_moe",
                  "architectures": [
                    "Qwen3MoeForCausalLM"
                  ],
                  "hidden_size": 2048,
                  "intermediate_size": 6144,
                  "num_hidden_layers": 48,
                  "num_attention_heads": 32,
                  "num_key_value_heads": 4,
                  "head_dim": 128,
                  "vocab_size": 151936,
                  "max_position_embeddings": 40960,
                  "tie_word_embeddings": false,
                  "torch_dtype": "bfloat16",
                  "rope_theta": 1000000.0,
                  "sliding_window": null,
                  "use_sliding_window": false,
                  "attention_bias": false,
                  "hidden_act": "silu",
                  "num_experts": 128,
                  "num_experts_per_tok": 8,
                  "moe_intermediate_size": 768,
                  "decoder_sparse_step": 1,
                  "mlp_only_layers": [],
                  "norm_topk_prob": true
                }
                """#
        ),
        // quantization_config is taken from the DeepSeek-R1 copy (the V3 copy's poster removed it); the model card confirms V3 ships FP8 weights with
        // 128x128 block scaling.
        Entry(
            name: "deepseek-v3",
            aliases: ["deepseek-ai/DeepSeek-V3", "deepseek-v3-base", "dsv3"],
            displayName: "DeepSeek-V3",
            huggingFaceRepo: "deepseek-ai/DeepSeek-V3",
            publishedTotalParameters: 671e9,
            publishedActiveParameters: 37e9,
            source: "Config: verbatim copy of deepseek-ai/DeepSeek-V3 config.json (transformers 4.33.1) quoted in a vllm-ascend issue, and a "
                + "DeepSeek-R1 copy (same architecture) that keeps the fp8 quantization_config; cross-checked with the DeepSeek-V3 technical "
                + "report (arXiv:2412.19437). Parameters: 671B total, 37B activated per token (report / model card); the Hugging Face "
                + "checkpoint is 685B = 671B main model + 14B Multi-Token Prediction module (num_nextn_predict_layers 1).",
            configJSON: #"""
                {
                  "model_type": "deepseek_v3",
                  "architectures": [
                    "DeepseekV3ForCausalLM"
                  ],
                  "hidden_size": 7168,
                  "intermediate_size": 18432,
                  "num_hidden_layers": 61,
                  "num_attention_heads": 128,
                  "num_key_value_heads": 128,
                  "vocab_size": 129280,
                  "max_position_embeddings": 163840,
                  "tie_word_embeddings": false,
                  "torch_dtype": "bfloat16",
                  "rope_theta": 10000,
                  "attention_bias": false,
                  "hidden_act": "silu",
                  "n_routed_experts": 256,
                  "n_shared_experts": 1,
                  "num_experts_per_tok": 8,
                  "moe_intermediate_size": 2048,
                  "first_k_dense_replace": 3,
                  "moe_layer_freq": 1,
                  "norm_topk_prob": true,
                  "q_lora_rank": 1536,
                  "kv_lora_rank": 512,
                  "qk_nope_head_dim": 128,
                  "qk_rope_head_dim": 64,
                  "v_head_dim": 128,
                  "num_nextn_predict_layers": 1,
                  "quantization_config": {
                    "activation_scheme": "dynamic",
                    "fmt": "e4m3",
                    "quant_method": "fp8",
                    "weight_block_size": [
                      128,
                      128
                    ]
                  }
                }
                """#
        ),
        // Verified from a verbatim config.json copy. The file has no tie_word_embeddings key (Gemma 2 ties by default). torch_dtype: the verbatim
        // copy says float32, a loaded-config dump says bfloat16 (load-time override).
        Entry(
            name: "gemma-2-9b",
            aliases: ["google/gemma-2-9b", "gemma2-9b", "gemma-2-9b-base"],
            displayName: "Gemma 2 9B",
            huggingFaceRepo: "google/gemma-2-9b",
            publishedTotalParameters: 9.24e9,
            publishedActiveParameters: nil,
            source: "Config: verbatim copy of google/gemma-2-9b config.json (transformers 4.42.0.dev0) in a torchKQI benchmark script on "
                + "GitHub, and a Gemma2Config dump with _name_or_path google/gemma-2-9b; cross-checked with the Gemma 2 report "
                + "(arXiv:2408.00118: 8,324,201,984 non-embedding parameters). Parameters: 9.24B on the Hugging Face model page.",
            configJSON: #"""
                {
                  "model_type": "gemma2",
                  "architectures": [
                    "Gemma2ForCausalLM"
                  ],
                  "hidden_size": 3584,
                  "intermediate_size": 14336,
                  "num_hidden_layers": 42,
                  "num_attention_heads": 16,
                  "num_key_value_heads": 8,
                  "head_dim": 256,
                  "vocab_size": 256000,
                  "max_position_embeddings": 8192,
                  "torch_dtype": "float32",
                  "rope_theta": 10000.0,
                  "sliding_window": 4096,
                  "attention_bias": false,
                  "hidden_act": "gelu_pytorch_tanh",
                  "hidden_activation": "gelu_pytorch_tanh"
                }
                """#
        ),
        // torch_dtype "float32" and rope_theta 10000.0 come from the test-fixture copy only (the issue copy is a modified fine-tune); treat
        // torch_dtype as unverified. No tie_word_embeddings key (Gemma 2 ties by default).
        Entry(
            name: "gemma-2-27b",
            aliases: ["google/gemma-2-27b", "gemma2-27b", "gemma-2-27b-base"],
            displayName: "Gemma 2 27B",
            huggingFaceRepo: "google/gemma-2-27b",
            publishedTotalParameters: 27.2e9,
            publishedActiveParameters: nil,
            source: "Config: google/gemma-2-27b config.json copied into a Gemma2 test fixture on GitHub (rope_theta re-expressed as "
                + "rope_parameters by transformers 5), plus a config.json quoted in a vLLM issue that agrees on every dimension; "
                + "cross-checked with the Gemma 2 report (26,047,480,320 non-embedding parameters). Parameters: 27.2B on the Hugging Face "
                + "model page.",
            configJSON: #"""
                {
                  "model_type": "gemma2",
                  "architectures": [
                    "Gemma2ForCausalLM"
                  ],
                  "hidden_size": 4608,
                  "intermediate_size": 36864,
                  "num_hidden_layers": 46,
                  "num_attention_heads": 32,
                  "num_key_value_heads": 16,
                  "head_dim": 128,
                  "vocab_size": 256000,
                  "max_position_embeddings": 8192,
                  "torch_dtype": "float32",
                  "rope_theta": 10000.0,
                  "sliding_window": 4096,
                  "attention_bias": false,
                  "hidden_act": "gelu_pytorch_tanh",
                  "hidden_activation": "gelu_pytorch_tanh"
                }
                """#
        ),
        // Verified from verbatim config.json copies.
        Entry(
            name: "phi-3-mini-4k-instruct",
            aliases: ["microsoft/Phi-3-mini-4k-instruct", "phi-3-mini", "phi3-mini", "phi-3-mini-4k"],
            displayName: "Phi-3 Mini 4K Instruct",
            huggingFaceRepo: "microsoft/Phi-3-mini-4k-instruct",
            publishedTotalParameters: 3.82e9,
            publishedActiveParameters: nil,
            source: "Config: copies of microsoft/Phi-3-mini-4k-instruct config.json (transformers 4.40.2) in github.com/scaleapi/llm-engine "
                + "(model-engine/tests/unit/domain/test_llm_use_cases.py) and in a TensorRT-LLM unit test (PHI3_MINI_4K_CONFIG); "
                + "cross-checked with the Phi-3 report (arXiv:2404.14219). Parameters: 3.82B on the Hugging Face model page (model card / "
                + "report: \"3.8B\").",
            configJSON: #"""
                {
                  "model_type": "phi3",
                  "architectures": [
                    "Phi3ForCausalLM"
                  ],
                  "hidden_size": 3072,
                  "intermediate_size": 8192,
                  "num_hidden_layers": 32,
                  "num_attention_heads": 32,
                  "num_key_value_heads": 32,
                  "vocab_size": 32064,
                  "max_position_embeddings": 4096,
                  "tie_word_embeddings": false,
                  "torch_dtype": "bfloat16",
                  "rope_theta": 10000.0,
                  "sliding_window": 2047,
                  "attention_bias": false,
                  "hidden_act": "silu"
                }
                """#
        ),
        // Verified from verbatim config.json copies. The original file has no n_inner (null: 4 * n_embd), no tie_word_embeddings (GPT-2 ties) and no
        // torch_dtype; activation_function is GPT-2's name for hidden_act.
        Entry(
            name: "gpt2",
            aliases: ["openai-community/gpt2", "gpt2-small", "gpt-2", "gpt2-124m"],
            displayName: "GPT-2 (124M)",
            huggingFaceRepo: "openai-community/gpt2",
            publishedTotalParameters: 124e6,
            publishedActiveParameters: nil,
            source: "Config: several verbatim copies of the gpt2 config.json on GitHub (one citing "
                + "https://huggingface.co/openai-community/gpt2/blob/main/config.json). Parameters: model card \"124M parameters\"; OpenAI's "
                + "gpt-2 release names the checkpoint 124M.",
            configJSON: #"""
                {
                  "model_type": "gpt2",
                  "architectures": [
                    "GPT2LMHeadModel"
                  ],
                  "n_embd": 768,
                  "n_layer": 12,
                  "n_head": 12,
                  "vocab_size": 50257,
                  "n_positions": 1024,
                  "activation_function": "gelu_new"
                }
                """#
        ),
        // Verified from a config dump (same fields as config.json). The original file has no n_inner (null: 4 * n_embd), no tie_word_embeddings
        // (GPT-2 ties) and no torch_dtype; activation_function is GPT-2's name for hidden_act.
        Entry(
            name: "gpt2-medium",
            aliases: ["openai-community/gpt2-medium", "gpt-2-medium", "gpt2-355m"],
            displayName: "GPT-2 Medium (355M)",
            huggingFaceRepo: "openai-community/gpt2-medium",
            publishedTotalParameters: 355e6,
            publishedActiveParameters: nil,
            source: "Config: GPT2Config dump of a gpt2-medium checkpoint on GitHub (n_ctx/n_positions 1024, n_embd 1024, n_head 16, n_layer "
                + "24) and nanoGPT-style from_pretrained tables. Parameters: model card \"355M parameter version\"; OpenAI's gpt-2 release "
                + "names the checkpoint 355M.",
            configJSON: #"""
                {
                  "model_type": "gpt2",
                  "architectures": [
                    "GPT2LMHeadModel"
                  ],
                  "n_embd": 1024,
                  "n_layer": 24,
                  "n_head": 16,
                  "vocab_size": 50257,
                  "n_positions": 1024,
                  "activation_function": "gelu_new"
                }
                """#
        ),
        // No verbatim copy of this config.json was found; the values are consistent across the sources and with the gpt2 / gpt2-medium / gpt2-xl
        // files. The original file has no n_inner (null: 4 * n_embd), no tie_word_embeddings (GPT-2 ties) and no torch_dtype; activation_function is
        // GPT-2's name for hidden_act.
        Entry(
            name: "gpt2-large",
            aliases: ["openai-community/gpt2-large", "gpt-2-large", "gpt2-774m"],
            displayName: "GPT-2 Large (774M)",
            huggingFaceRepo: "openai-community/gpt2-large",
            publishedTotalParameters: 774e6,
            publishedActiveParameters: nil,
            source: "Config: dimensions from several independent GPT-2 size tables on GitHub (nanoGPT-style from_pretrained maps, gpt-2 "
                + "HParams: n_embd 1280, n_head 20, n_layer 36, n_ctx 1024, vocab 50257) and the GPT-2 paper. Parameters: model card \"774M "
                + "parameter version\"; OpenAI's gpt-2 release names the checkpoint 774M.",
            configJSON: #"""
                {
                  "model_type": "gpt2",
                  "architectures": [
                    "GPT2LMHeadModel"
                  ],
                  "n_embd": 1280,
                  "n_layer": 36,
                  "n_head": 20,
                  "vocab_size": 50257,
                  "n_positions": 1024,
                  "activation_function": "gelu_new"
                }
                """#
        ),
        // Verified from config dumps (same fields as config.json). The original file has no n_inner (null: 4 * n_embd), no tie_word_embeddings (GPT-2
        // ties) and no torch_dtype; activation_function is GPT-2's name for hidden_act.
        Entry(
            name: "gpt2-xl",
            aliases: ["openai-community/gpt2-xl", "gpt-2-xl", "gpt2-1.5b", "gpt2-1558m"],
            displayName: "GPT-2 XL (1.5B)",
            huggingFaceRepo: "openai-community/gpt2-xl",
            publishedTotalParameters: 1558e6,
            publishedActiveParameters: nil,
            source: "Config: two GPT2Config dumps with _name_or_path gpt2-xl on GitHub (n_embd 1600, n_head 25, n_layer 48, n_ctx 1024); one "
                + "also prints 1,557,611,200 parameters. Parameters: OpenAI's gpt-2 release names the checkpoint 1558M (model card: \"1.5B "
                + "parameter version\").",
            configJSON: #"""
                {
                  "model_type": "gpt2",
                  "architectures": [
                    "GPT2LMHeadModel"
                  ],
                  "n_embd": 1600,
                  "n_layer": 48,
                  "n_head": 25,
                  "vocab_size": 50257,
                  "n_positions": 1024,
                  "activation_function": "gelu_new"
                }
                """#
        ),
    ]
}
