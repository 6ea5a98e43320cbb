/// Memory-bandwidth view of decode, reported beside MFU: decode reads every active weight and the KV cache once
/// per step, so it is bandwidth-bound and a low decode MFU is normal, not waste (mfu-formulas.md §2.7).
public struct DecodeRoofline: Sendable, Equatable {
    /// Bytes read from HBM per decode step over all devices: weights touched plus the KV cache of the batch.
    public var bytesPerStep: Double
    /// Seconds per step implied by the observed throughput (batch tokens per step).
    public var stepSeconds: Double
    /// Memory-bandwidth utilization: bytes per step ÷ (step time × devices × HBM bandwidth).
    public var bandwidthUtilization: Double
    /// Tokens/s the batch could reach at 100% of HBM bandwidth.
    public var bandwidthBoundTokensPerSecond: Double
    /// Model FLOPs per byte read: the decode step's arithmetic intensity.
    public var arithmeticIntensity: Double
    /// The device's ridge point (peak FLOP/s ÷ bandwidth); below it a kernel is memory-bound.
    public var ridgePoint: Double

    /// Builds the roofline for a batch of `batch` sequences at average context `context`, observed at `tokensPerSecond`
    /// generated tokens per second in total over `devices` devices.
    ///
    /// MoE: a batch touches at most `min(experts, batch · top-k)` experts per layer, so the routed-expert bytes read
    /// scale with that count (uniform routing assumed).
    public init(
        model: ModelSpec, weights: WeightFormat, kvCache: Precision, batch: Int, context: Int, tokensPerSecond: Double, devices: Int,
        gpu: GPUModel, flopsPerToken: Double, peakFLOPS: Double
    ) throws(InputError) {
        let batch = try InputError.requireCount(batch, "--batch")
        let context = try InputError.requireCount(context, "--context")
        let rate = try InputError.requirePositive(tokensPerSecond, "throughput", unit: "tokens/s")
        var weightBytes = model.weightBytes(weights)
        if let moe = model.architecture.moe, moe.experts > moe.expertsPerToken {
            let expertBytes =
                (model.parameters.total - model.parameters.active) / Double(moe.experts - moe.expertsPerToken)
                * Double(moe.experts) * weights.bytesPerParameter
            let touched = Double(min(moe.experts, batch * moe.expertsPerToken)) / Double(moe.experts)
            weightBytes = weightBytes - expertBytes + expertBytes * touched
        }
        let kvBytes = model.kvCacheBytesPerToken(kvCache) * Double(context) * Double(batch)
        bytesPerStep = weightBytes + kvBytes
        stepSeconds = Double(batch) / rate
        let bandwidth = gpu.memoryBandwidthBytesPerSecond * Double(devices)
        bandwidthUtilization = bytesPerStep / stepSeconds / bandwidth
        bandwidthBoundTokensPerSecond = bandwidth / bytesPerStep * Double(batch)
        arithmeticIntensity = flopsPerToken * Double(batch) / bytesPerStep
        ridgePoint = peakFLOPS / gpu.memoryBandwidthBytesPerSecond
        guard bandwidthUtilization <= 1.0 + 1e-9 else {
            throw InputError(
                "throughput", "implies \(Quantity.percent(bandwidthUtilization)) of \(gpu.displayName) memory bandwidth, which is impossible",
                expected: "a decode throughput below \(formatNumber(bandwidthBoundTokensPerSecond.rounded())) tokens/s for this batch and context")
        }
    }
}
