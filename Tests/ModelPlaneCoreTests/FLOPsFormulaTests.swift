import ModelPlaneCore
import ModelPlaneTestSupport
import Testing

/// Each formula's arithmetic on small round shapes, written out per row.
@Suite("FLOPs formulas")
struct FLOPsFormulaTests {
    // A toy dense model: N = 1e9, L = 10, H = 8, Q = 64 (H·Q = 512 = d), V = 1000, ffn 2048, T = 1000.
    static let toy = TransformerShape(
        parameters: 1e9, layers: 10, hiddenSize: 512, heads: 8, keyValueHeads: 8, headDim: 64, ffn: 2048, vocabulary: 1000, gatedMLP: false)

    struct Row: Sendable, CustomTestStringConvertible {
        let formula: FLOPsFormula
        let recompute: RecomputeMode
        let attention: AttentionConvention?
        let model: Double
        let hardware: Double
        var testDescription: String { "\(formula) \(recompute) \(attention?.rawValue ?? "default")" }
    }

    @Test(
        "per-token FLOPs",
        arguments: [
            // Kaplan: 6N = 6e9; full recompute 8N; PaLM remat 7.5N.
            Row(formula: .kaplan, recompute: .none, attention: nil, model: 6e9, hardware: 6e9),
            Row(formula: .kaplan, recompute: .full, attention: nil, model: 6e9, hardware: 8e9),
            Row(formula: .kaplan, recompute: .palmRemat, attention: nil, model: 6e9, hardware: 7.5e9),
            // PaLM: 6N + 12·L·H·Q·T = 6e9 + 12·10·512·1000 = 6e9 + 61.44e6.
            Row(formula: .palm, recompute: .none, attention: nil, model: 6.06144e9, hardware: 6.06144e9),
            // PaLM remat: 7.5N + 16·L·H·Q·T = 7.5e9 + 81.92e6.
            Row(formula: .palm, recompute: .palmRemat, attention: nil, model: 6.06144e9, hardware: 7.58192e9),
            // PaLM full recompute: 8N + 16·L·H·Q·T.
            Row(formula: .palm, recompute: .full, attention: nil, model: 6.06144e9, hardware: 8.08192e9),
            // PaLM with causal attention: 6e9 + 30.72e6.
            Row(formula: .palm, recompute: .none, attention: .causal, model: 6.03072e9, hardware: 6.03072e9),
            // Megatron: 72·l·h² + 12·l·h·s + 6·h·V = 72·10·512² + 12·10·512·1000 + 6·512·1000
            //         = 188,743,680 + 61,440,000 + 3,072,000 = 253,255,680.
            // Full recompute: + (188,743,680 + 61,440,000)/3 = 336,650,240 (= 96·l·h²·(1 + s/6h + V/16lh)).
            Row(formula: .megatron, recompute: .full, attention: nil, model: 253_255_680, hardware: 336_650_240),
            // Korthikanti selective, as published: 72·l·h²·(1 + s/3h + V/12hl): the score term counted twice,
            // + 12·l·h·s = + 61,440,000 → 314,695,680.
            Row(formula: .korthikanti, recompute: .selective, attention: nil, model: 253_255_680, hardware: 314_695_680),
            // Megatron-Core, plain MLP (×2), MHA: MLP 6·h·(f·2·L) = 6·512·2048·2·10 = 125,829,120;
            // projections 6·(h·(3·512) + 512·h)·L = 6·1,048,576·10 = 62,914,560; scores 6·(512·1000/2·2)·L = 30,720,000;
            // logits 6·512·1000 = 3,072,000. Sum 222,535,680.
            Row(formula: .megatronCore, recompute: .none, attention: nil, model: 222_535_680, hardware: 222_535_680),
            // Prefill: 2N + 2·L·H·Q·T = 2e9 + 10.24e6 (causal).
            Row(formula: .inferencePrefill, recompute: .none, attention: nil, model: 2.01024e9, hardware: 2.01024e9),
            // Decode at c = 1000: 2N + 4·L·H·Q·c = 2e9 + 20.48e6.
            Row(formula: .inferenceDecode, recompute: .none, attention: nil, model: 2.02048e9, hardware: 2.02048e9),
        ])
    func perToken(_ row: Row) throws {
        let flops = try row.formula.flopsPerToken(Self.toy, sequence: 1000, context: 1000, attention: row.attention, recompute: row.recompute)
        #expect(close(flops.model, row.model, within: row.model * 1e-12))
        #expect(close(flops.hardware, row.hardware, within: row.hardware * 1e-12))
    }

    @Test("Megatron-Core counts GQA, SwiGLU and the causal half; it is below PaLM's count for Llama 3.1 8B at 8k")
    func megatronCoreLlama8B() throws {
        let model = try ModelCatalog.builtin.resolve("llama-3.1-8b")
        let shape = TransformerShape(model: model, convention: .all)
        let core = try FLOPsFormula.megatronCore.flopsPerToken(shape, sequence: 8192)
        // h = 4096, L = 32, a = 32, g = 8, d_h = 128, f = 14336, V = 128256, s = 8192:
        // MLP 6·4096·(14336·3·32) = 33,822,867,456; projections 6·(4096·(4096 + 2·1024) + 4096·4096)·32 = 8,053,063,680;
        // scores 6·(4096·8192/2·2)·32 = 6,442,450,944; logits 6·4096·128256 = 3,152,019,456. Sum 51,470,401,536.
        #expect(core.model == 51_470_401_536)
        // torchtitan's count (PaLM formula, N without the input embedding): 6·7.505e9 + 12·32·4096·8192 = 45.03e9 + 12.88e9
        // = 57.91e9, about 12.5% above Megatron-Core at 8k (mfu-formulas.md §2.5: "about 11% of total FLOPs").
        let torchtitan = TransformerShape(model: model, convention: .withoutInputEmbedding)
        let palm = try FLOPsFormula.palm.flopsPerToken(torchtitan, sequence: 8192)
        #expect(palm.model > core.model * 1.10 && palm.model < core.model * 1.14)
    }

    @Test("Megatron-Core for DeepSeek-V3 (MLA, 256 experts top-8 + 1 shared, 3 dense layers, 1 MTP) is near 6 × 37B active")
    func megatronCoreDeepSeek() throws {
        let model = try ModelCatalog.builtin.resolve("deepseek-v3")
        let shape = TransformerShape(model: model, convention: .all)
        let flops = try FLOPsFormula.megatronCore.flopsPerToken(shape, sequence: 4096)
        // 6 × 37.5B active ≈ 225 GFLOP plus causal attention at 4k and the MTP layer: 240–290 GFLOP per token.
        #expect(flops.model > 240e9 && flops.model < 290e9)
        #expect(flops.terms.first { $0.name == "MTP" }!.flops > 0)
    }

    @Test("a formula names the flag it is missing")
    func missingField() {
        #expect(throws: InputError("--layers", "is required here", expected: "a value for --layers, or --model NAME to fill it")) {
            try FLOPsFormula.megatron.flopsPerToken(TransformerShape(hiddenSize: 4096, vocabulary: 32000), sequence: 2048)
        }
        #expect(throws: InputError.self) { try FLOPsFormula.palm.flopsPerToken(TransformerShape(layers: 4), sequence: 2048) }
        #expect(throws: InputError.self) {
            try FLOPsFormula.inferenceDecode.flopsPerToken(Self.toy, sequence: 10, recompute: .full)
        }
    }

    @Test("MFU above 100% is refused as inconsistent input, never reported")
    func impossibleThroughput() {
        #expect(throws: InputError.self) {
            try MFURequest(formula: .kaplan, shape: Self.toy, sequenceLength: 1000, throughput: .tokensPerSecond(1e9), peak: .explicit(989e12))
                .calculate()
        }
    }

    @Test(
        "throughput must be finite and positive",
        arguments: [
            Throughput.tokensPerSecond(0), .tokensPerSecond(-5), .tokensPerSecond(.nan), .tokensPerSecondPerDevice(.infinity),
            .iteration(seconds: 0, globalBatch: 8, sequenceLength: 2048), .iteration(seconds: 1, globalBatch: 0, sequenceLength: 2048),
        ])
    func badThroughput(_ throughput: Throughput) {
        #expect(throws: InputError.self) { try throughput.totalTokensPerSecond(devices: 8) }
    }

    @Test("a MIG slice is measured against its SMs, an MPS share against its percentage and the whole GPU")
    func partitions() throws {
        let h100 = try HardwareCatalog.builtin.resolve("NVIDIA-H100-80GB-HBM3-MIG-3g.40gb")
        let mig = try PeakFLOPS.catalog(h100.model, precision: .bf16, partition: .mig(try #require(h100.mig)))
        // 989.4 TFLOP/s × 60 / 132 SMs = 449.7 TFLOP/s
        #expect(close(mig.perDevice, 989.4e12 * 60 / 132, within: 1e6))
        let mps = try PeakFLOPS.catalog(h100.model, precision: .bf16, partition: .mps(percentage: 40))
        let result = try MFURequest(
            formula: .kaplan, shape: TransformerShape(parameters: 8e9), sequenceLength: nil, throughput: .tokensPerSecond(2000), peak: mps
        ).calculate()
        // 6·8e9·2000 = 96 TFLOP/s: 24.3% of the 40% share (395.76 TFLOP/s), 9.7% of the whole GPU.
        #expect(close(result.mfu, 96e12 / (989.4e12 * 0.4), within: 1e-9))
        #expect(close(try #require(result.mfuOfWholeDevice), 96e12 / 989.4e12, within: 1e-9))
        #expect(throws: InputError.self) { try PeakFLOPS.catalog(h100.model, precision: .bf16, partition: .mps(percentage: 120)) }
    }
}
