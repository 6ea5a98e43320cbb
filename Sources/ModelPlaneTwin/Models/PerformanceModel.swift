public import ModelPlaneCore

/// What a workload's slice of hardware offers at one moment: the devices, the share of each, the fabric between
/// them, and what slows them (heat, co-located clients, the input pipeline).
public struct ExecutionContext: Sendable, Equatable {
    /// Dense peak FLOP/s of one whole device at the workload's precision.
    public var peakFLOPS: Double
    /// HBM bandwidth of one whole device.
    public var memoryBandwidthBytesPerSecond: Double
    public var devices: Int
    /// Share of each device's SMs the workload may use (1 whole, a MIG profile's SMs, an MPS SM percentage).
    public var computeFraction: Double
    /// Share of each device's HBM bandwidth the workload gets (a MIG instance owns its memory slices; MPS clients
    /// contend in proportion to their SM shares).
    public var bandwidthFraction: Double
    /// Multiplier ≤ 1 from MPS co-location (1 when alone or isolated by MIG).
    public var interference: Double
    /// Multiplier ≤ 1 from power capping or thermal slowdown.
    public var clockFactor: Double
    /// Bytes per second per GPU between the devices of this workload (nil for one device).
    public var fabricBytesPerSecond: Double?
    /// Fraction of time the input pipeline leaves the devices waiting.
    public var inputStall: Double

    public init(
        gpu: GPUModel, precision: Precision = .bf16, devices: Int = 1, computeFraction: Double = 1, bandwidthFraction: Double = 1,
        interference: Double = 1, clockFactor: Double = 1, fabricBytesPerSecond: Double? = nil, inputStall: Double = 0
    ) {
        self.peakFLOPS = Self.peak(gpu, precision)
        self.memoryBandwidthBytesPerSecond = gpu.memoryBandwidthBytesPerSecond
        self.devices = devices
        self.computeFraction = computeFraction
        self.bandwidthFraction = bandwidthFraction
        self.interference = interference
        self.clockFactor = clockFactor
        self.fabricBytesPerSecond = fabricBytesPerSecond
        self.inputStall = inputStall
    }

    /// Dense peak of one whole device at `precision`, falling back to the nearest precision the device has
    /// (bf16 → fp16 → fp32), so every catalog GPU can run every workload.
    public static func peak(_ gpu: GPUModel, _ precision: Precision) -> Double {
        for candidate in [precision, .bf16, .fp16, .tf32, .fp32] { if let value = gpu.peakFLOPS[candidate] { return value } }
        return gpu.peakFLOPS.values.max() ?? 0
    }
}

/// The model facts the performance model needs, computed once per placement (the hot loop reads scalars only).
public struct ModelProfile: Sendable, Equatable {
    /// N in 6N/2N: active, non-embedding parameters (Kaplan et al. 2020).
    public var parameters: Double
    /// Weight bytes of the whole model at the workload's precision.
    public var weightBytes: Double
    /// KV-cache bytes per token on one GPU at the workload's tensor-parallel degree.
    public var kvBytesPerTokenPerGPU: Double
    public var layers: Int

    public init(_ model: ModelSpec, precision: Precision, devices: Int) {
        parameters = model.parameters.counted(.nonEmbedding, active: true)
        weightBytes = model.weightBytes(WeightFormat(precision: precision))
        kvBytesPerTokenPerGPU = model.kvCacheBytesPerTokenPerGPU(precision, tensorParallel: max(1, devices))
        layers = model.architecture.layers
    }
}

/// One training step's shape and what it achieves.
public struct TrainingRate: Sendable, Equatable {
    public var stepSeconds: Double
    public var tokensPerSecond: Double
    /// Model FLOP/s over all the workload's devices (6·N per token).
    public var modelFLOPS: Double
    /// Fraction of the step the SMs compute; the rest is exposed communication and input stalls.
    public var busyFraction: Double
    public var exposedCommunicationSeconds: Double
    /// Achieved ÷ (devices × the peak of the workload's share of each device).
    public var mfu: Double
}

/// One inference engine step: how long a decode iteration takes for a batch, and how long a prompt takes.
public struct InferenceTiming: Sendable, Equatable {
    public var decodeStepSeconds: Double
    public var prefillSecondsPerToken: Double
    /// True when the decode step is limited by HBM bandwidth rather than compute.
    public var memoryBound: Bool
}

/// The twin's performance model: pure functions of a workload's intent, its execution context and the constants.
///
/// Training: `step = compute + max(0, comm − overlap·compute)`, then stretched by input stalls, where compute is
/// 6·N·tokens ÷ (peak · share · kernel efficiency · small-batch efficiency · interference · clock) and comm is a
/// ring all-reduce of the gradients, 2·(n−1)/n·N·bytes ÷ fabric bandwidth. Inference: a decode step is the larger
/// of its compute time and its HBM time (weights plus the batch's KV cache, the roofline), plus the engine's fixed
/// overhead and the tensor-parallel all-reduces; prefill is compute-bound.
public enum PerformanceModel {
    public static func training(
        model: ModelSpec, precision: Precision, batch: Int, sequence: Int, context: ExecutionContext, constants: TwinConstants
    ) -> TrainingRate {
        training(
            profile: ModelProfile(model, precision: precision, devices: context.devices), batch: batch, sequence: sequence, context: context,
            constants: constants)
    }

    public static func training(
        profile: ModelProfile, batch: Int, sequence: Int, context: ExecutionContext, constants: TwinConstants
    ) -> TrainingRate {
        let n = Double(max(1, context.devices))
        let parameters = profile.parameters
        let tokensPerGPU = Double(batch * sequence) / n
        let smallBatch = tokensPerGPU / (tokensPerGPU + constants.smallBatchHalfSaturationTokens)
        let effective =
            context.peakFLOPS * context.computeFraction * constants.trainingKernelEfficiency * smallBatch
            * context.interference * context.clockFactor
        let compute = effective > 0 ? 6 * parameters * tokensPerGPU / effective : .infinity
        var communication = 0.0
        if context.devices > 1, let fabric = context.fabricBytesPerSecond, fabric > 0 {
            communication = 2 * (n - 1) / n * parameters * constants.gradientBytesPerParameter / fabric
        }
        let exposed = max(0, communication - constants.communicationOverlap * compute)
        let stall = min(max(context.inputStall, 0), 1)
        guard compute.isFinite, stall < 1 else {
            return TrainingRate(stepSeconds: .infinity, tokensPerSecond: 0, modelFLOPS: 0, busyFraction: 0, exposedCommunicationSeconds: 0, mfu: 0)
        }
        let step = (compute + exposed) / (1 - stall)
        let tokensPerSecond = Double(batch * sequence) / step
        let flops = 6 * parameters * tokensPerSecond
        return TrainingRate(
            stepSeconds: step, tokensPerSecond: tokensPerSecond, modelFLOPS: flops, busyFraction: compute / step,
            exposedCommunicationSeconds: exposed, mfu: flops / (n * context.peakFLOPS * context.computeFraction))
    }

    /// Decode and prefill timing for a batch of `running` sequences at mean context `contextTokens`.
    public static func inference(
        model: ModelSpec, precision: Precision, running: Int, contextTokens: Double, context: ExecutionContext, constants: TwinConstants
    ) -> InferenceTiming {
        inference(
            profile: ModelProfile(model, precision: precision, devices: context.devices), running: running, contextTokens: contextTokens,
            context: context, constants: constants)
    }

    public static func inference(
        profile: ModelProfile, running: Int, contextTokens: Double, context: ExecutionContext, constants: TwinConstants
    ) -> InferenceTiming {
        let n = Double(max(1, context.devices))
        let parameters = profile.parameters
        let peak = context.peakFLOPS * context.computeFraction * context.interference * context.clockFactor
        let bandwidth =
            context.memoryBandwidthBytesPerSecond * context.bandwidthFraction * constants.decodeBandwidthEfficiency
            * context.interference * context.clockFactor
        let weightBytes = profile.weightBytes / n
        let kvBytes = profile.kvBytesPerTokenPerGPU * contextTokens * Double(running)
        let memory = bandwidth > 0 ? (weightBytes + kvBytes) / bandwidth : .infinity
        let compute = peak > 0 ? 2 * parameters * Double(max(running, 1)) / n / (peak * constants.decodeKernelEfficiency) : .infinity
        var step = max(memory, compute) + constants.engineStepOverheadSeconds
        if context.devices > 1 {
            // Two all-reduces per layer; slower fabrics pay in proportion to NVLink's 450 GB/s per direction.
            let fabricPenalty = max(1, 450e9 / (context.fabricBytesPerSecond ?? 450e9))
            step += 2 * Double(profile.layers) * constants.tensorParallelAllReduceSeconds * fabricPenalty
        }
        let prefill = peak > 0 ? 2 * parameters / n / (peak * constants.prefillKernelEfficiency) : .infinity
        return InferenceTiming(decodeStepSeconds: step, prefillSecondsPerToken: prefill, memoryBound: memory >= compute)
    }

    /// MPS co-location: each additional busy client on a GPU costs `mpsInterferencePerClient`, up to the maximum.
    public static func mpsInterference(busyClients: Int, constants: TwinConstants) -> Double {
        guard busyClients > 1 else { return 1 }
        return 1 - min(constants.mpsInterferenceMaximum, constants.mpsInterferencePerClient * Double(busyClients - 1))
    }
}
