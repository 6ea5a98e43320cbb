import ArgumentParser
import ModelPlaneConfig
import ModelPlaneCore

struct MFUCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfu",
        abstract: "Compute MFU (and HFU) of a run from its throughput, under a named FLOPs convention.",
        discussion: """
            Formulas (--formula):
            \(FLOPsFormula.allCases.map { "  \($0.rawValue.padding(18))\($0.helpLine)" }.joined(separator: "\n"))

            Give exactly one throughput: --tokens-per-second,
            --tokens-per-second-per-device, or --iteration-time with --global-batch
            and --seq-len. The peak is the catalog's dense peak for --gpu and
            --precision, or --peak-flops. Numbers accept SI suffixes: 540.35B, 238.3K.

            Example (PaLM 540B, Chowdhery et al. 2022, Table 3): 46.2% MFU
              modelplane mfu --params 540.35B --layers 118 --heads 48 \\
                --head-dim 256 --seq-len 2048 --formula palm --gpu tpu-v4 \\
                --devices 6144 --tokens-per-second 238.3K
            """
    )

    @Option(help: "Catalog model name (see `modelplane catalog models`) or path to a Hugging Face config.json; fills the architecture.")
    var model: String?
    @Option(help: "N: parameters counted by the formula (overrides the model's count).")
    var params: QuantityArgument?
    @Option(help: "Active parameters per token (MoE); when given it is the N of 6N-style formulas.")
    var paramsActive: QuantityArgument?
    @Option(help: "Which parameters a --model counts as N: all, non-embedding, no-input-embedding, no-position-embedding.")
    var countParams: ParameterConvention?
    @Option(help: "Transformer layers (L).") var layers: Int?
    @Option(help: "Query attention heads (H).") var heads: Int?
    @Option(help: "Key/value heads (GQA groups).") var kvHeads: Int?
    @Option(help: "Per-head dimension (Q).") var headDim: Int?
    @Option(help: "Model width d_model (h).") var dModel: Int?
    @Option(help: "Feed-forward intermediate size (per expert for MoE).") var ffn: Int?
    @Option(help: "Vocabulary size (V), padded as the framework pads it.") var vocab: Int?
    @Option(help: "Training sequence length, or prompt length for inference-prefill (T, s).") var seqLen: Int?
    @Option(help: "Decode context length (c) for inference-decode.") var context: Int?
    @Option(help: "Routed experts (MoE).") var experts: Int?
    @Option(help: "Experts each token is routed to (MoE top-k).") var expertsActive: Int?
    @Option(help: "FLOPs convention.") var formula: FLOPsFormula = .palm
    @Option(help: "Activation recomputation for HFU: none, full, selective, palm-remat.") var recompute: RecomputeMode = .none
    @Option(help: "Attention-score convention: full (T²), causal (T²/2) or none. Default: the formula's own.")
    var attention: AttentionConvention?
    @Option(help: "GPU, by any name real systems report (\"NVIDIA H100 80GB HBM3\", NVIDIA-H100-80GB-HBM3-MIG-3g.40gb, h100-sxm).")
    var gpu: String?
    @Option(help: "Precision of the math, selecting the dense peak: fp32, tf32, bf16, fp16, fp8, int8.") var precision: String?
    @Option(help: "Peak FLOP/s per device, instead of the catalog's.") var peakFlops: QuantityArgument?
    @Option(help: "MIG profile the workload runs in (e.g. 3g.40gb): MFU against the slice's SMs.") var mig: String?
    @Option(help: "MPS active-thread percentage of the workload: MFU against the share and the whole GPU.")
    var mpsPercentage: Double?
    @Option(help: "Devices the throughput was measured on.") var devices: Int = 1
    @Option(help: "Observed tokens per second over all devices.") var tokensPerSecond: QuantityArgument?
    @Option(help: "Observed tokens per second per device.") var tokensPerSecondPerDevice: QuantityArgument?
    @Option(help: "Seconds per optimizer step (with --global-batch and --seq-len).") var iterationTime: Double?
    @Option(help: "Sequences per optimizer step.") var globalBatch: Int?
    @Option(help: "Decode batch (concurrent sequences), for memory-bandwidth utilization.") var batch: Int?
    @Option(help: "Weight format for the decode bandwidth estimate: bf16, fp8, int8, awq, gptq.") var weights: String?
    @Option(help: "Hardware catalog overrides (YAML or JSON).") var catalog: String?
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        try reportingInputErrors { () throws(InputError) in
            let hardware = try Catalogs.hardware(overrides: catalog)
            let spec = try model.map { name throws(InputError) in try Catalogs.model(name) }
            let request = try makeRequest(hardware: hardware, spec: spec)
            let result = try request.calculate()
            let roofline = try decodeRoofline(result: result, spec: spec, hardware: hardware)
            print(json ? MFUReport.json(result, roofline: roofline) : MFUReport.table(result, roofline: roofline, model: spec))
        }
    }

    func makeRequest(hardware: HardwareCatalog, spec: ModelSpec?) throws(InputError) -> MFURequest {
        var shape = TransformerShape()
        if let spec {
            shape = TransformerShape(model: spec, convention: countParams ?? formula.defaultParameterConvention)
        } else if countParams != nil {
            throw InputError("--count-params", "only applies with --model", expected: "--model NAME, or N given directly with --params")
        }
        if let value = params?.value { shape.parameters = try InputError.requirePositive(value, "--params", unit: "parameters") }
        if let value = paramsActive?.value {
            shape.activeParameters = try InputError.requirePositive(value, "--params-active", unit: "parameters")
            if let total = params?.value, value > total {
                throw InputError(
                    "--params-active", "\(ModelPlaneCore.Quantity.format(value)) exceeds --params \(ModelPlaneCore.Quantity.format(total))",
                    expected: "active ≤ total")
            }
            shape.parameters = value
        }
        for (flag, value) in [
            ("--layers", layers), ("--heads", heads), ("--kv-heads", kvHeads), ("--head-dim", headDim), ("--d-model", dModel), ("--ffn", ffn),
            ("--vocab", vocab), ("--seq-len", seqLen), ("--context", context), ("--experts", experts), ("--experts-active", expertsActive),
            ("--global-batch", globalBatch), ("--batch", batch),
        ] {
            if let value { _ = try InputError.requireCount(value, flag) }
        }
        if let layers { shape.layers = layers }
        if let heads { shape.heads = heads }
        if let kvHeads { shape.keyValueHeads = kvHeads }
        if let headDim { shape.headDim = headDim }
        if let dModel { shape.hiddenSize = dModel }
        if let ffn { shape.ffn = ffn }
        if let vocab { shape.vocabulary = vocab }
        if shape.headDim == nil, let heads = shape.heads, let width = shape.hiddenSize, width % heads == 0 { shape.headDim = width / heads }
        if let experts {
            let active = try InputError.required(expertsActive, "--experts-active")
            guard active <= experts else {
                throw InputError("--experts-active", "\(active) exceeds --experts \(experts)", expected: "at most the number of experts")
            }
            shape.moe = MixtureOfExperts(
                experts: experts, expertsPerToken: active, expertIntermediateSize: try InputError.required(shape.ffn, "--ffn"))
        } else if expertsActive != nil, shape.moe == nil {
            throw InputError("--experts-active", "given without --experts", expected: "--experts N with it")
        }
        return MFURequest(
            formula: formula, shape: shape, sequenceLength: seqLen, context: context, attention: attention, recompute: recompute,
            throughput: try throughput(), devices: devices, peak: try peak(hardware: hardware, spec: spec))
    }

    func throughput() throws(InputError) -> Throughput {
        var given: [Throughput] = []
        if let value = tokensPerSecond?.value { given.append(.tokensPerSecond(value)) }
        if let value = tokensPerSecondPerDevice?.value { given.append(.tokensPerSecondPerDevice(value)) }
        if let iterationTime {
            given.append(
                .iteration(
                    seconds: iterationTime, globalBatch: try InputError.required(globalBatch, "--global-batch"),
                    sequenceLength: try InputError.required(seqLen, "--seq-len")))
        }
        guard given.count == 1 else {
            throw InputError(
                "throughput", given.isEmpty ? "none given" : "\(given.count) forms given",
                expected: "exactly one of --tokens-per-second, --tokens-per-second-per-device, --iteration-time")
        }
        return given[0]
    }

    func resolvedPrecision(spec: ModelSpec?) throws(InputError) -> Precision {
        if let precision {
            guard let parsed = Precision(name: precision) else {
                throw InputError("--precision", "unknown precision \"\(precision)\"", expected: Precision.acceptedNames)
            }
            return parsed
        }
        if let native = spec?.quantization?.computePrecision ?? spec?.nativePrecision, [.bf16, .fp16, .fp8].contains(native) { return native }
        return .bf16
    }

    func peak(hardware: HardwareCatalog, spec: ModelSpec?) throws(InputError) -> PeakFLOPS {
        if let peakFlops {
            if gpu != nil, mig != nil || mpsPercentage != nil {
                throw InputError("--peak-flops", "given together with --mig/--mps-percentage", expected: "the slice's own peak, or --gpu with --mig")
            }
            return try .explicit(peakFlops.value)
        }
        guard let gpu else {
            throw InputError("peak", "no --gpu or --peak-flops given", expected: "--gpu NAME (see `modelplane catalog gpus`) or --peak-flops")
        }
        let resolved = try hardware.resolve(gpu)
        let precision = try resolvedPrecision(spec: spec)
        var partition = GPUPartition.whole
        if let profile = resolved.mig { partition = .mig(profile) }
        if let mig { partition = .mig(try resolved.model.migProfile(named: mig)) }
        if let mpsPercentage {
            guard case .whole = partition else {
                throw InputError("--mps-percentage", "MPS share given together with a MIG profile", expected: "one of them")
            }
            partition = .mps(percentage: mpsPercentage)
        }
        return try .catalog(resolved.model, precision: precision, partition: partition)
    }

    func decodeRoofline(result: MFUResult, spec: ModelSpec?, hardware: HardwareCatalog) throws(InputError) -> DecodeRoofline? {
        guard formula == .inferenceDecode, let spec, let gpu else { return nil }
        let device = try hardware.resolve(gpu).model
        let format =
            try weights.map { name throws(InputError) in try WeightFormat(name: name) } ?? spec.quantization
            ?? WeightFormat(precision: spec.nativePrecision ?? .bf16)
        return try DecodeRoofline(
            model: spec, weights: format, kvCache: .bf16, batch: batch ?? 1, context: try InputError.required(context ?? seqLen, "--context"),
            tokensPerSecond: result.tokensPerSecond, devices: result.devices, gpu: device, flopsPerToken: result.flopsPerToken,
            peakFLOPS: result.peak.wholeDevice)
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
