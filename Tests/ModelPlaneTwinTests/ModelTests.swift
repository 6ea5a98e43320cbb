import ModelPlaneCore
import Testing

@testable import ModelPlaneTwin

@Suite("Twin performance, power and request models")
struct ModelTests {
    let h100 = HardwareCatalog.builtin.lookup("h100-sxm")!
    let llama8b = ModelCatalog.builtin.lookup("llama-3.1-8b")!
    let constants = TwinConstants()

    @Test("training: small batches underfeed the tensor cores (t / (t + 1024) of the kernel efficiency)")
    func smallBatch() {
        let context = ExecutionContext(gpu: h100)
        // 1 × 1024 tokens: half saturation, so MFU = 0.55 × 0.5 = 0.275; 64 × 4096 tokens: 0.55 × 262144/263168.
        let small = PerformanceModel.training(model: llama8b, precision: .bf16, batch: 1, sequence: 1024, context: context, constants: constants)
        let large = PerformanceModel.training(model: llama8b, precision: .bf16, batch: 64, sequence: 4096, context: context, constants: constants)
        #expect(abs(small.mfu - 0.275) < 1e-9)
        #expect(abs(large.mfu - 0.55 * 262_144 / 263_168) < 1e-9)
        #expect(small.busyFraction == 1 && large.busyFraction == 1)
    }

    @Test("training: gradient all-reduce costs more on slower fabrics (NVLink < PCIe < cross-node)", arguments: [2, 8])
    func communication(devices: Int) {
        func mfu(_ fabric: Double) -> Double {
            let context = ExecutionContext(gpu: h100, devices: devices, fabricBytesPerSecond: fabric)
            // One 2,048-token sequence per GPU: a step short enough that the all-reduce shows.
            return PerformanceModel.training(
                model: llama8b, precision: .bf16, batch: devices, sequence: 2048, context: context, constants: constants
            ).mfu
        }
        let nvlink = mfu(450e9)
        let network = mfu(50e9)
        let pcie = mfu(32e9)
        #expect(nvlink > network && network > pcie)
        // Exposed time: 2·(n−1)/n · N · 2 bytes ÷ B − 0.6 · compute; at PCIe gen 4 it dominates the step.
        #expect(pcie < 0.5 * nvlink)
    }

    @Test("training: an input stall stretches the step; a full stall stops progress")
    func stall() {
        let base = ExecutionContext(gpu: h100)
        var stalled = base
        stalled.inputStall = 0.25
        let full = PerformanceModel.training(model: llama8b, precision: .bf16, batch: 64, sequence: 4096, context: base, constants: constants)
        let slow = PerformanceModel.training(model: llama8b, precision: .bf16, batch: 64, sequence: 4096, context: stalled, constants: constants)
        #expect(abs(slow.mfu - full.mfu * 0.75) < 1e-12)
        #expect(abs(slow.busyFraction - 0.75) < 1e-12)
        stalled.inputStall = 1
        #expect(
            PerformanceModel.training(model: llama8b, precision: .bf16, batch: 64, sequence: 4096, context: stalled, constants: constants).modelFLOPS
                == 0)
    }

    @Test("decode at batch 1 is memory-bound at the weights ÷ (bandwidth · 0.8) roofline")
    func decodeRoofline() {
        let timing = PerformanceModel.inference(
            model: llama8b, precision: .bf16, running: 1, contextTokens: 1024, context: ExecutionContext(gpu: h100), constants: constants)
        let weights = llama8b.weightBytes(WeightFormat(precision: .bf16))
        let kv = llama8b.kvCacheBytesPerToken(.bf16) * 1024
        let expected = (weights + kv) / (h100.memoryBandwidthBytesPerSecond * 0.8) + 0.002
        #expect(timing.memoryBound)
        #expect(abs(timing.decodeStepSeconds - expected) < 1e-12)
        // A larger batch costs more per step but much less per token.
        let batched = PerformanceModel.inference(
            model: llama8b, precision: .bf16, running: 64, contextTokens: 1024, context: ExecutionContext(gpu: h100), constants: constants)
        #expect(batched.decodeStepSeconds > timing.decodeStepSeconds)
        #expect(batched.decodeStepSeconds / 64 < timing.decodeStepSeconds / 4)
    }

    @Test("MPS interference: 10 % per extra busy client, at most 50 %", arguments: [(1, 1.0), (2, 0.9), (4, 0.7), (9, 0.5)])
    func interference(clients: Int, factor: Double) {
        #expect(abs(PerformanceModel.mpsInterference(busyClients: clients, constants: constants) - factor) < 1e-12)
    }

    @Test(
        "power: idle 12 % of TDP, execution-idle 65 %, full activity at TDP",
        arguments: [
            (false, 0.0, 0.0, 84.0),  // 0.12 × 700
            (true, 0.0, 0.0, 455.0),  // 0.65 × 700
            (true, 1.0, 1.0, 700.0),
            (true, 0.5, 0.0, 455.0 + 245 * 0.35),  // floor + (TDP − floor) × 0.7 × 0.5
        ])
    func power(resident: Bool, sm: Double, dram: Double, watts: Double) {
        let draw = PowerModel.draw(
            tdp: 700, activity: .init(resident: resident, smActive: sm, dramActive: dram), capWatts: nil, constants: constants)
        #expect(abs(draw.watts - watts) < 1e-9)
        #expect(draw.clockFactor == 1)
    }

    @Test("a power cap clips the draw and slows the clocks by the cube root of the dynamic power kept")
    func powerCap() {
        let draw = PowerModel.draw(tdp: 700, activity: .init(resident: true, smActive: 1, dramActive: 1), capWatts: 392, constants: constants)
        // Dynamic power above idle: demand 700 − 84 = 616, allowed 392 − 84 = 308 → half → ∛0.5.
        #expect(draw.watts == 392)
        #expect(abs(draw.clockFactor - 0.793_700_525_984_1) < 1e-9)
    }

    @Test("temperature approaches ambient + P·R with the thermal time constant")
    func thermal() {
        // Target 30 + 700 × 0.07 = 79 °C; after one time constant 63.2 % of the way from 30.
        let after = PowerModel.temperature(from: 30, watts: 700, seconds: 45, coolingFactor: 1, constants: constants)
        #expect(abs(after - (79 - 49 * 0.367_879_441_171_44)) < 1e-9)
        let steady = PowerModel.temperature(from: 30, watts: 700, seconds: 10_000, coolingFactor: 1.8, constants: constants)
        #expect(abs(steady - (30 + 700 * 0.07 * 1.8)) < 1e-6)
        #expect(PowerModel.thermalClockFactor(celsius: steady, constants: constants) == 0.7)
    }

    @Test("Poisson draws have the right mean and variance on both sides of the algorithm switch", arguments: [0.5, 7.0, 29.0, 31.0, 400.0])
    func poisson(mean: Double) {
        var generator = SeededGenerator(seed: 7)
        let count = 40_000
        let draws = (0..<count).map { _ in Double(RequestArrivals.poisson(mean: mean, using: &generator)) }
        let sampleMean = draws.reduce(0, +) / Double(count)
        let variance = draws.reduce(0) { $0 + ($1 - sampleMean) * ($1 - sampleMean) } / Double(count - 1)
        // Standard error of the mean is √(λ/n); allow five of them. The variance within 5 %.
        #expect(abs(sampleMean - mean) < 5 * (mean / Double(count)).squareRoot())
        #expect(abs(variance / mean - 1) < 0.05)
    }

    @Test("bursty arrivals average between the quiet and burst rates by the time in each state")
    func bursty() {
        var arrivals = RequestArrivals(pattern: .bursty(quietRate: 1, burstRate: 21, meanBurstSeconds: 100, meanQuietSeconds: 900))
        var generator = SeededGenerator(seed: 3)
        var total = 0
        for step in 0..<100_000 { total += arrivals.arrivals(from: Double(step) * 10, seconds: 10, using: &generator) }
        // Long-run rate: (1 × 900 + 21 × 100) / 1000 = 3 requests/s.
        let rate = Double(total) / 1_000_000
        #expect(abs(rate - 3) < 0.15)
    }

    @Test("the serving engine: light load has no queue; overload queues; a full KV cache preempts")
    func serving() {
        let timing: (Int) -> InferenceTiming = { running in
            InferenceTiming(decodeStepSeconds: 0.01 + 0.0001 * Double(running), prefillSecondsPerToken: 0.00001, memoryBound: true)
        }
        var light = ServingEngine(promptTokens: 500, outputTokens: 100, maxRunning: 64, kvCapacityTokens: 1_000_000)
        var served = 0
        for step in 0..<100 {
            served += light.step(now: Double(step) * 10, seconds: 10, arrivals: 20, serving: true, sla: .init(), timing: timing).completed
        }
        #expect(light.waitingCount == 0)
        #expect(served > 1_900)
        // TTFT ≈ one 5 ms prefill when nothing waits.
        #expect((light.ttft.quantile(0.5) ?? 1) < 0.01)

        var overloaded = ServingEngine(promptTokens: 500, outputTokens: 1000, maxRunning: 8, kvCapacityTokens: 1_000_000)
        for step in 0..<50 { _ = overloaded.step(now: Double(step) * 10, seconds: 10, arrivals: 50, serving: true, sla: .init(), timing: timing) }
        #expect(overloaded.waitingCount > 1_000)
        #expect((overloaded.ttft.quantile(0.99) ?? 0) > 60)

        // Admission counts prompts only; as the batch grows into prompt + output/2 the cache overflows and preempts.
        var tight = ServingEngine(promptTokens: 1000, outputTokens: 4000, maxRunning: 64, kvCapacityTokens: 40_000)
        var preempted = 0
        for step in 0..<20 {
            preempted += tight.step(now: Double(step) * 10, seconds: 10, arrivals: 30, serving: true, sla: .init(), timing: timing).preempted
        }
        #expect(preempted > 0)
        #expect(tight.preemptionsTotal == preempted)
        #expect(tight.kvUsage <= 1)
    }
}
