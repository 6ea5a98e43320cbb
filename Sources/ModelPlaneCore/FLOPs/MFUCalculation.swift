/// Everything an MFU figure depends on, stated explicitly.
public struct MFURequest: Sendable, Equatable {
    public var formula: FLOPsFormula
    public var shape: TransformerShape
    /// Training sequence length, or prompt length for prefill.
    public var sequenceLength: Int?
    /// Decode context length.
    public var context: Int?
    public var attention: AttentionConvention?
    public var recompute: RecomputeMode
    public var throughput: Throughput
    public var devices: Int
    public var peak: PeakFLOPS

    public init(
        formula: FLOPsFormula, shape: TransformerShape, sequenceLength: Int?, context: Int? = nil, attention: AttentionConvention? = nil,
        recompute: RecomputeMode = .none, throughput: Throughput, devices: Int = 1, peak: PeakFLOPS
    ) {
        self.formula = formula
        self.shape = shape
        self.sequenceLength = sequenceLength
        self.context = context
        self.attention = attention
        self.recompute = recompute
        self.throughput = throughput
        self.devices = devices
        self.peak = peak
    }
}

/// An MFU figure with the convention behind it.
public struct MFUResult: Sendable, Equatable {
    public var formula: FLOPsFormula
    public var attention: AttentionConvention
    public var recompute: RecomputeMode
    /// Model FLOPs per token.
    public var flopsPerToken: Double
    /// Hardware FLOPs per token (recompute included).
    public var hardwareFLOPSPerToken: Double
    public var terms: [FLOPsPerToken.Term]
    public var tokensPerSecond: Double
    public var tokensPerSecondPerDevice: Double
    public var devices: Int
    /// Achieved model FLOP/s per device.
    public var modelFLOPSPerDevice: Double
    public var hardwareFLOPSPerDevice: Double
    public var peak: PeakFLOPS
    /// Model FLOP utilization against `peak.perDevice` (a MIG slice or MPS share when given).
    public var mfu: Double
    /// Hardware FLOP utilization; nil when nothing is recomputed (it would equal MFU).
    public var hfu: Double?
    /// MFU against the whole physical GPU, when the workload owns a share of it.
    public var mfuOfWholeDevice: Double?
    /// N as counted, for the record.
    public var parametersCounted: Double?
}

extension MFURequest {
    /// Computes MFU (and HFU when recompute is given), refusing results above 100% as inconsistent input.
    public func calculate() throws(InputError) -> MFUResult {
        let devices = try InputError.requireCount(devices, "--devices")
        let perToken = try formula.flopsPerToken(shape, sequence: sequenceLength, context: context, attention: attention, recompute: recompute)
        let tokens = try throughput.totalTokensPerSecond(devices: devices)
        let perDevice = tokens / Double(devices)
        let modelRate = perToken.model * perDevice
        let hardwareRate = perToken.hardware * perDevice
        let mfu = modelRate / peak.perDevice
        let hfu = hardwareRate / peak.perDevice
        guard hfu <= 1.0 + 1e-9 else {
            throw InputError(
                "throughput",
                "implies \(Quantity.percent(hfu)) of the \(formatNumber(peak.perDevice / 1e12)) TFLOP/s peak per device, which is impossible",
                expected: "a throughput below the peak: check --devices, the throughput unit, the precision and the model size")
        }
        return MFUResult(
            formula: formula, attention: attention ?? formula.defaultAttention, recompute: recompute, flopsPerToken: perToken.model,
            hardwareFLOPSPerToken: perToken.hardware, terms: perToken.terms, tokensPerSecond: tokens, tokensPerSecondPerDevice: perDevice,
            devices: devices, modelFLOPSPerDevice: modelRate, hardwareFLOPSPerDevice: hardwareRate, peak: peak, mfu: mfu,
            hfu: recompute == .none ? nil : hfu, mfuOfWholeDevice: peak.partition == .whole ? nil : modelRate / peak.wholeDevice,
            parametersCounted: shape.parameters)
    }
}
