import ModelPlaneCore
import Testing

@Suite("Model catalog")
struct ModelCatalogTests {
    @Test("the catalog holds the widely deployed open models the issue names")
    func coverage() throws {
        for name in [
            "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "mistral-7b-v0.1", "mixtral-8x7b-v0.1", "mixtral-8x22b-v0.1", "qwen2.5-7b",
            "qwen2.5-72b", "qwen3-30b-a3b", "deepseek-v3", "gemma-2-9b", "gemma-2-27b", "phi-3-mini-4k-instruct", "gpt2", "gpt2-medium",
            "gpt2-large", "gpt2-xl", "meta-llama/Llama-3.1-8B",
        ] {
            _ = try ModelCatalog.builtin.resolve(name)
        }
    }

    @Test("derived parameter counts match the published ones: total within 1%, MoE active within 2% (published active counts are rounded)")
    func publishedCounts() throws {
        for model in ModelCatalog.builtin.models {
            let published = try #require(model.publishedTotalParameters)
            #expect(abs(model.parameters.total / published - 1) < 0.01, "\(model.name): \(model.parameters.total) vs \(published)")
            if let active = model.publishedActiveParameters {
                #expect(abs(model.parameters.active / active - 1) < 0.02, "\(model.name): \(model.parameters.active) vs \(active)")
            } else {
                #expect(model.parameters.active == model.parameters.total)
            }
        }
    }

    struct CountRow: Sendable, CustomTestStringConvertible {
        let name: String, total: Double, active: Double
        var testDescription: String { name }
    }

    @Test(
        "parameter arithmetic of representative architectures",
        arguments: [
            // Llama 3.1 8B: per layer 4096·(4096 + 2·1024) + 4096·4096 + 3·4096·14336 + 2·4096 = 218,112,000;
            // × 32 + 2·128256·4096 + 4096 = 8,030,261,248.
            CountRow(name: "llama-3.1-8b", total: 8_030_261_248, active: 8_030_261_248),
            // GPT-2: 12·(4·768² + 4·768 + 8·768² + 5·768 + 4·768) + 50257·768 + 1024·768 + 2·768 = 124,439,808 (tied head).
            CountRow(name: "gpt2", total: 124_439_808, active: 124_439_808),
            // Mixtral 8x7B: attention 41,943,040 + norms 8192 + router 32,768 + 8 experts × 176,160,768 per layer;
            // total 46,702,792,704; active (2 experts) 12,879,925,248.
            CountRow(name: "mixtral-8x7b-v0.1", total: 46_702_792_704, active: 12_879_925_248),
        ])
    func counts(_ row: CountRow) throws {
        let model = try ModelCatalog.builtin.resolve(row.name)
        #expect(model.parameters.total == row.total)
        #expect(model.parameters.active == row.active)
    }

    @Test("DeepSeek-V3: MLA and 256-expert MoE import; the MTP module is counted apart from the 671B")
    func deepSeek() throws {
        let model = try ModelCatalog.builtin.resolve("deepseek-v3")
        let mla = try #require(model.architecture.latentAttention)
        #expect(mla.keyValueRank == 512 && mla.queryRank == 1536)
        let moe = try #require(model.architecture.moe)
        #expect(moe.experts == 256 && moe.expertsPerToken == 8 && moe.denseLayers == 3 && moe.sharedIntermediateSize == 2048)
        #expect(model.parameters.multiTokenPrediction > 11e9 && model.parameters.multiTokenPrediction < 15e9)
        #expect(model.quantization == .fp8)
    }

    @Test("GPT-2 and Gemma 2 configs without tie_word_embeddings are tied; GPT-2's missing n_inner is 4·n_embd")
    func defaults() throws {
        let gpt2 = try ModelCatalog.builtin.resolve("gpt2").architecture
        #expect(gpt2.tiedEmbeddings && gpt2.intermediateSize == 3072 && gpt2.mlp == .plain && gpt2.learnedPositions == 1024)
        let gemma = try ModelCatalog.builtin.resolve("gemma-2-9b").architecture
        #expect(gemma.tiedEmbeddings && gemma.headDim == 256 && gemma.attentionWidth == 4096)
    }

    struct BadConfig: Sendable, CustomTestStringConvertible {
        let json: String, location: String, problem: String
        var testDescription: String { problem }
    }

    @Test(
        "an incomplete or inconsistent config.json fails with the field named",
        arguments: [
            BadConfig(
                json: #"{"hidden_size": 4096, "num_attention_heads": 32, "vocab_size": 32000}"#, location: "config.json:", problem: "missing field"),
            BadConfig(
                json:
                    #"{"hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 5, "vocab_size": 32000, "intermediate_size": 11008}"#,
                location: "config.json: key/value heads", problem: "do not divide"),
            BadConfig(
                json: #"{"hidden_size": 4000, "num_hidden_layers": 32, "num_attention_heads": 48, "vocab_size": 32000, "intermediate_size": 11008}"#,
                location: "config.json: hidden_size", problem: "not divisible"),
            BadConfig(
                json:
                    #"{"hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32, "vocab_size": 32000, "intermediate_size": 11008, "num_local_experts": 8, "num_experts_per_tok": 9}"#,
                location: "config.json: experts per token", problem: "exceed"),
            BadConfig(
                json:
                    #"{"hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32, "vocab_size": 32000, "intermediate_size": 11008, "kv_lora_rank": 512}"#,
                location: "config.json:", problem: "kv_lora_rank is set"),
            BadConfig(
                json: #"{"hidden_size": "big", "num_hidden_layers": 32, "num_attention_heads": 32, "vocab_size": 32000}"#,
                location: "config.json: hidden_size", problem: "not a number"),
            BadConfig(
                json: #"{"hidden_size": 4096, "num_hidden_layers": -2, "num_attention_heads": 32, "vocab_size": 32000, "intermediate_size": 11008}"#,
                location: "config.json: layers", problem: "not positive"),
            BadConfig(json: #"{"hidden_size": 4096,"#, location: "config.json:1:", problem: "invalid JSON"),
        ])
    func badConfig(_ row: BadConfig) {
        do {
            _ = try HuggingFaceConfig.parse(json: row.json, source: "config.json")
            Issue.record("accepted")
        } catch {
            #expect(error.location.hasPrefix(row.location), "\(error)")
            #expect(error.problem.contains(row.problem), "\(error)")
        }
    }

    @Test("an unknown model name lists the closest catalog names")
    func unknownModel() {
        do {
            _ = try ModelCatalog.builtin.resolve("llama-3.1-80b")
            Issue.record("accepted")
        } catch {
            #expect(error.expected.contains("llama-3.1-8b") || error.expected.contains("llama-3.1-70b"))
        }
    }
}
