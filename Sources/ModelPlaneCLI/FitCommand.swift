import ArgumentParser
import ModelPlaneConfig
import ModelPlaneCore

struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Check whether a model's weights, KV cache and activations fit a GPU, MIG slice or MPS limit.",
        discussion: """
            Memory per GPU = weights/TP + KV cache (2·L·kv_heads·head_dim·bytes per token × context × sequences)
            + activations of one forward pass + runtime overhead (CUDA context, workspaces; 1 GiB by default).
            Prints the verdict for --gpu, then the minimum tensor-parallel degree on each GPU type.

            Example: modelplane fit --model llama-3.1-70b --gpu l4 --context 8192
            """
    )

    @Option(help: "Catalog model name or path to a Hugging Face config.json.") var model: String
    @Option(help: "GPU by any reported name or alias (h100-sxm, \"NVIDIA L4\", NVIDIA-H100-80GB-HBM3-MIG-3g.40gb).") var gpu: String?
    @Option(help: "Weight format: bf16, fp16, fp8, int8, int4/gptq, awq (group 128; awq-g64 for 64). Default: the checkpoint's.")
    var weights: String?
    @Option(help: "KV-cache precision: bf16, fp16, fp8.") var kvCacheDtype: String = "bf16"
    @Option(help: "Tokens per sequence the KV cache holds (prompt + output). Default: min(model max, 8192).") var context: Int?
    @Option(help: "Sequences resident at once.") var concurrency: Int = 1
    @Option(help: "Tensor-parallel degree (GPUs sharing the model).") var tensorParallel: Int = 1
    @Option(help: "MIG profile to fit into (e.g. 3g.40gb).") var mig: String?
    @Option(help: "MPS client memory limit in GiB (CUDA_MPS_PINNED_DEVICE_MEM_LIMIT).") var mpsMemoryGib: Double?
    @Option(help: "Runtime overhead per GPU in GiB.") var overheadGib: Double = 1.0
    @Option(help: "Tokens per forward pass for the activation estimate (max_num_batched_tokens).") var batchedTokens: Int?
    @Option(help: "Hardware catalog overrides (YAML or JSON).") var catalog: String?
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        try reportingInputErrors { () throws(InputError) in
            let hardware = try Catalogs.hardware(overrides: catalog)
            let spec = try Catalogs.model(model)
            guard let kv = Precision(name: kvCacheDtype), [.bf16, .fp16, .fp8, .fp32].contains(kv) else {
                throw InputError("--kv-cache-dtype", "unsupported \"\(kvCacheDtype)\"", expected: "bf16, fp16, fp8 or fp32")
            }
            guard overheadGib.isFinite, overheadGib >= 0 else {
                throw InputError("--overhead-gib", "\(overheadGib) is not a non-negative number of GiB")
            }
            let format =
                try weights.map { name throws(InputError) in try WeightFormat(name: name) }
                ?? spec.quantization ?? WeightFormat(precision: spec.nativePrecision ?? .bf16)
            let request = MemoryFitRequest(
                model: spec, weights: format, kvCache: kv, context: context ?? min(spec.architecture.maxContext, 8192),
                concurrentSequences: concurrency, tensorParallel: tensorParallel, batchedTokens: batchedTokens,
                runtimeOverheadBytes: overheadGib * gibibyte)
            var fit: MemoryFit?
            if let gpu {
                let resolved = try hardware.resolve(gpu)
                var target = MemoryTarget.whole(resolved.model)
                if let profile = resolved.mig { target = .mig(resolved.model, profile) }
                if let mig { target = .mig(resolved.model, try resolved.model.migProfile(named: mig)) }
                if let mpsMemoryGib {
                    let limit = try InputError.requirePositive(mpsMemoryGib, "--mps-memory-gib", unit: "GiB")
                    target = .mps(resolved.model, limitBytes: limit * gibibyte)
                }
                fit = try request.fit(on: target)
            } else if mig != nil || mpsMemoryGib != nil {
                throw InputError("--gpu", "is required with --mig or --mps-memory-gib")
            }
            let gpus = hardware.models.filter { $0.vendor == .nvidia || $0.vendor == .amd }
            var minimums: [(GPUModel, MemoryFit?)] = []
            for device in gpus { minimums.append((device, try request.minimumTensorParallel(on: device))) }
            print(
                json
                    ? FitReport.json(request: request, fit: fit, minimums: minimums) : FitReport.table(request: request, fit: fit, minimums: minimums)
            )
        }
    }
}
