/// Where a workload's memory must fit: a whole GPU, a MIG instance, or an MPS client's memory limit.
public enum MemoryTarget: Sendable, Equatable {
    case whole(GPUModel)
    case mig(GPUModel, MIGProfile)
    /// An MPS client with `CUDA_MPS_PINNED_DEVICE_MEM_LIMIT` of `limitBytes`.
    case mps(GPUModel, limitBytes: Double)

    public var gpu: GPUModel {
        switch self {
        case .whole(let gpu), .mig(let gpu, _), .mps(let gpu, _): gpu
        }
    }

    /// Bytes a workload can allocate on one device of this target.
    public var capacityBytes: Double {
        switch self {
        case .whole(let gpu): gpu.usableMemoryBytes
        case .mig(_, let profile): profile.memoryBytes
        case .mps(let gpu, let limit): min(limit, gpu.usableMemoryBytes)
        }
    }

    public var label: String {
        switch self {
        case .whole(let gpu): gpu.displayName
        case .mig(let gpu, let profile): "\(gpu.displayName) MIG \(profile.name)"
        case .mps(let gpu, let limit): "\(gpu.displayName) MPS limit \(formatNumber((limit / gibibyte * 100).rounded() / 100)) GiB"
        }
    }
}

/// A serving (or fine-tuning) configuration whose memory is to be checked.
public struct MemoryFitRequest: Sendable, Equatable {
    public var model: ModelSpec
    public var weights: WeightFormat
    public var kvCache: Precision
    /// Tokens per sequence (prompt + output) the KV cache must hold.
    public var context: Int
    /// Sequences resident at once.
    public var concurrentSequences: Int
    public var tensorParallel: Int
    /// Tokens in one forward pass for the activation estimate (vLLM `max_num_batched_tokens`); nil: min(context·seqs, 8192).
    public var batchedTokens: Int?
    /// CUDA context, cuBLAS/cuDNN workspaces, NCCL buffers and allocator slack per GPU.
    public var runtimeOverheadBytes: Double

    /// Default runtime overhead: 1 GiB per GPU (a CUDA context with cuBLAS workspaces takes 0.5–1 GiB; NCCL adds
    /// buffers under tensor parallelism).
    public static let defaultRuntimeOverhead = 1.0 * gibibyte

    public init(
        model: ModelSpec, weights: WeightFormat, kvCache: Precision = .bf16, context: Int, concurrentSequences: Int = 1,
        tensorParallel: Int = 1, batchedTokens: Int? = nil, runtimeOverheadBytes: Double = MemoryFitRequest.defaultRuntimeOverhead
    ) {
        self.model = model
        self.weights = weights
        self.kvCache = kvCache
        self.context = context
        self.concurrentSequences = concurrentSequences
        self.tensorParallel = tensorParallel
        self.batchedTokens = batchedTokens
        self.runtimeOverheadBytes = runtimeOverheadBytes
    }
}

/// Per-GPU memory need, split into its parts, against one target.
public struct MemoryFit: Sendable, Equatable {
    public enum Verdict: Sendable, Equatable {
        /// Fits with `headroomBytes` to spare.
        case fits(headroomBytes: Double)
        /// Fits, but with less than 5% of capacity (or 1 GiB) to spare: an allocation spike can OOM it.
        case tight(headroomBytes: Double)
        /// Needs `shortByBytes` more than the target has.
        case doesNotFit(shortByBytes: Double)

        public var fits: Bool {
            if case .doesNotFit = self { return false }
            return true
        }
    }

    public var target: MemoryTarget
    public var tensorParallel: Int
    public var weightBytes: Double
    public var kvCacheBytes: Double
    public var activationBytes: Double
    public var runtimeOverheadBytes: Double
    public var capacityBytes: Double
    public var verdict: Verdict

    public var requiredBytes: Double { weightBytes + kvCacheBytes + activationBytes + runtimeOverheadBytes }
}

extension MemoryFitRequest {
    /// Checks the configuration against one device of `target` (each of `tensorParallel` GPUs holds 1/tp of the weights).
    public func fit(on target: MemoryTarget) throws(InputError) -> MemoryFit {
        let context = try InputError.requireCount(context, "--context")
        let sequences = try InputError.requireCount(concurrentSequences, "--concurrency")
        let tp = try InputError.requireCount(tensorParallel, "--tensor-parallel")
        guard runtimeOverheadBytes.isFinite, runtimeOverheadBytes >= 0 else {
            throw InputError("--overhead-gib", "\(runtimeOverheadBytes) is not a non-negative number")
        }
        let a = model.architecture
        let weightBytes = model.weightBytes(weights) / Double(tp)
        let kvBytes = model.kvCacheBytesPerTokenPerGPU(kvCache, tensorParallel: tp) * Double(context) * Double(sequences)
        let tokens = Double(batchedTokens ?? min(context * sequences, 8192))
        let ffnActive = a.moe.map { Double($0.expertIntermediateSize * $0.expertsPerToken + $0.sharedIntermediateSize) } ?? Double(a.intermediateSize)
        // Peak live activations of one forward pass: residual stream, normed input, attention output and QKV (≈4h + QKV),
        // the MLP's gate/up outputs (2·ffn, split by TP), in 16-bit; plus FP32 logits for the sequences being sampled.
        let perToken = (4 * Double(a.hiddenSize) + (Double(a.attentionWidth + 2 * a.keyValueHeads * a.headDim) + 2 * ffnActive) / Double(tp)) * 2
        let logits = min(Double(sequences), tokens) * Double(a.vocabularySize) * 4
        let activations = tokens * perToken + logits
        let capacity = target.capacityBytes
        let required = weightBytes + kvBytes + activations + runtimeOverheadBytes
        let headroom = capacity - required
        let verdict: MemoryFit.Verdict
        if headroom < 0 {
            verdict = .doesNotFit(shortByBytes: -headroom)
        } else if headroom < max(0.05 * capacity, gibibyte) {
            verdict = .tight(headroomBytes: headroom)
        } else {
            verdict = .fits(headroomBytes: headroom)
        }
        return MemoryFit(
            target: target, tensorParallel: tp, weightBytes: weightBytes, kvCacheBytes: kvBytes, activationBytes: activations,
            runtimeOverheadBytes: runtimeOverheadBytes, capacityBytes: capacity, verdict: verdict)
    }

    /// Tensor-parallel degrees a serving engine accepts for this model: divisors of the attention head count
    /// (vLLM requires heads % tp == 0), in increasing order.
    public var validTensorParallelDegrees: [Int] {
        let heads = model.architecture.attentionHeads
        return (1...max(1, heads)).filter { heads % $0 == 0 }
    }

    /// The smallest valid tensor-parallel degree (up to `limit`) at which the model fits on `gpu`, with the fit;
    /// nil when none does.
    public func minimumTensorParallel(on gpu: GPUModel, limit: Int = 64) throws(InputError) -> MemoryFit? {
        var request = self
        for tp in validTensorParallelDegrees where tp <= limit {
            request.tensorParallel = tp
            let fit = try request.fit(on: .whole(gpu))
            if fit.verdict.fits { return fit }
        }
        return nil
    }
}
