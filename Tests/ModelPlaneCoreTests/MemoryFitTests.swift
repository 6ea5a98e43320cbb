import ModelPlaneCore
import ModelPlaneTestSupport
import Testing

@Suite("Memory fit and decode roofline")
struct MemoryFitTests {
    let catalog = HardwareCatalog.builtin

    @Test("KV-cache bytes per token: GQA and MLA")
    func kvBytes() throws {
        // Llama 3.1 8B: 2 · 32 layers · 8 KV heads · 128 · 2 bytes = 131,072 bytes per token.
        #expect(try ModelCatalog.builtin.resolve("llama-3.1-8b").kvCacheBytesPerToken(.bf16) == 131_072)
        // Llama 3.1 70B at fp8: 2 · 80 · 8 · 128 · 1 = 163,840.
        #expect(try ModelCatalog.builtin.resolve("llama-3.1-70b").kvCacheBytesPerToken(.fp8) == 163_840)
        // DeepSeek-V3 MLA: 61 layers · (512 + 64) · 2 bytes = 70,272.
        #expect(try ModelCatalog.builtin.resolve("deepseek-v3").kvCacheBytesPerToken(.bf16) == 70_272)
        // Tensor parallel 16 on 8 KV heads replicates: each rank keeps one head.
        let llama = try ModelCatalog.builtin.resolve("llama-3.1-70b")
        #expect(llama.kvCacheBytesPerTokenPerGPU(.bf16, tensorParallel: 16) == 2 * 80 * 1 * 128 * 2)
    }

    @Test("Llama 3.1 70B in bf16 does not fit one L4; the minimum is tensor parallel 8")
    func llama70BOnL4() throws {
        let model = try ModelCatalog.builtin.resolve("llama-3.1-70b")
        let l4 = try catalog.resolve("NVIDIA L4").model
        let request = MemoryFitRequest(model: model, weights: .bf16, context: 8192)
        let fit = try request.fit(on: .whole(l4))
        guard case .doesNotFit(let short) = fit.verdict else {
            Issue.record("expected does not fit, got \(fit.verdict)")
            return
        }
        // 141.1 GB of weights against 22.03 GiB usable: short by more than 100 GiB.
        #expect(short > 100 * gibibyte)
        // 141.1 GB / 8 = 16.4 GiB of weights per L4; TP 4 needs 33 GiB. TP must divide 64 heads.
        #expect(try request.minimumTensorParallel(on: l4)?.tensorParallel == 8)
    }

    @Test("Llama 3.1 8B fits one H100 with headroom at 8k context")
    func llama8BOnH100() throws {
        let model = try ModelCatalog.builtin.resolve("llama-3.1-8b")
        let fit = try MemoryFitRequest(model: model, weights: .bf16, context: 8192).fit(on: .whole(try catalog.resolve("h100-sxm").model))
        guard case .fits(let headroom) = fit.verdict else {
            Issue.record("expected fits, got \(fit.verdict)")
            return
        }
        // 14.96 GiB weights + 1 GiB KV + activations + 1 GiB overhead against 79.65 GiB.
        #expect(close(fit.weightBytes, 8_030_261_248 * 2, within: 1))
        #expect(close(fit.kvCacheBytes, 131_072 * 8192, within: 1))
        #expect(headroom > 55 * gibibyte)
    }

    @Test("MIG slices and MPS limits are the capacity; quantized weights shrink the need")
    func partitionsAndQuantization() throws {
        let model = try ModelCatalog.builtin.resolve("llama-3.1-8b")
        let h100 = try catalog.resolve("h100-sxm").model
        let request = MemoryFitRequest(model: model, weights: .bf16, context: 4096)
        #expect(try !request.fit(on: .mig(h100, h100.migProfile(named: "1g.10gb"))).verdict.fits)
        #expect(try request.fit(on: .mig(h100, h100.migProfile(named: "3g.40gb"))).verdict.fits)
        #expect(try !request.fit(on: .mps(h100, limitBytes: 12 * gibibyte)).verdict.fits)
        var awq = request
        awq.weights = .int4(method: "awq", groupSize: 128)
        // Linear layers at 0.5 + 2.5/128 bytes, embedding and head at 2 bytes: 6.98e9 · 0.5195 + 1.05e9 · 2 = 5.73e9 bytes.
        let expected = (model.parameters.total - 2 * 128_256 * 4096) * (0.5 + 2.5 / 128) + 2 * 128_256 * 4096 * 2
        #expect(close(model.weightBytes(awq.weights), expected, within: 1))
        #expect(try awq.fit(on: .mig(h100, h100.migProfile(named: "1g.10gb"))).verdict.fits)
    }

    @Test("bad fit inputs are errors")
    func badInputs() throws {
        let model = try ModelCatalog.builtin.resolve("llama-3.1-8b")
        let h100 = try catalog.resolve("h100-sxm").model
        #expect(throws: InputError.self) { try MemoryFitRequest(model: model, weights: .bf16, context: 0).fit(on: .whole(h100)) }
        #expect(throws: InputError.self) { try MemoryFitRequest(model: model, weights: .bf16, context: 10, tensorParallel: 0).fit(on: .whole(h100)) }
        #expect(throws: InputError.self) { try WeightFormat(name: "int3") }
    }

    @Test("decode memory-bandwidth utilization: Llama 3.1 8B, batch 1, 100 tokens/s on one H100")
    func decodeRoofline() throws {
        let model = try ModelCatalog.builtin.resolve("llama-3.1-8b")
        let h100 = try catalog.resolve("h100-sxm").model
        let roofline = try DecodeRoofline(
            model: model, weights: .bf16, kvCache: .bf16, batch: 1, context: 1024, tokensPerSecond: 100, devices: 1, gpu: h100,
            flopsPerToken: 2 * 8.03e9, peakFLOPS: 989.4e12)
        // (16.06e9 + 131,072·1024) bytes × 100 steps/s / 3.35e12 B/s = 48.3%.
        #expect(close(roofline.bandwidthUtilization, (16_060_522_496 + 134_217_728) * 100 / 3.35e12, within: 1e-9))
        // Arithmetic intensity ≈ 1 FLOP/byte, far below the 295 FLOP/byte ridge: memory-bound.
        #expect(roofline.arithmeticIntensity < 2 && roofline.ridgePoint > 290)
        #expect(throws: InputError.self) {
            try DecodeRoofline(
                model: model, weights: .bf16, kvCache: .bf16, batch: 1, context: 1024, tokensPerSecond: 10_000, devices: 1, gpu: h100,
                flopsPerToken: 2 * 8.03e9, peakFLOPS: 989.4e12)
        }
    }
}
