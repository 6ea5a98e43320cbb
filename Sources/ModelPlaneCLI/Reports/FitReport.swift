import ModelPlaneCore

/// Renders a memory-fit result.
enum FitReport {
    static func gib(_ bytes: Double) -> String { Quantity.significant(bytes / gibibyte, 4) + " GiB" }

    static func verdict(_ fit: MemoryFit) -> String {
        switch fit.verdict {
        case .fits(let headroom): "fits with \(gib(headroom)) headroom"
        case .tight(let headroom): "fits, tight: only \(gib(headroom)) headroom"
        case .doesNotFit(let short): "does not fit: short by \(gib(short))"
        }
    }

    static func table(request: MemoryFitRequest, fit: MemoryFit?, minimums: [(GPUModel, MemoryFit?)]) -> String {
        var out: [String] = []
        let m = request.model
        out.append(
            "\(m.displayName): \(Quantity.format(m.parameters.total)) parameters, weights \(request.weights), KV cache \(request.kvCache), "
                + "context \(request.context) × \(request.concurrentSequences) sequence(s)")
        if let fit {
            var block = KeyValueBlock()
            block.add("target", "\(fit.target.label) × TP \(fit.tensorParallel)")
            block.add("verdict", verdict(fit))
            block.add("weights", gib(fit.weightBytes))
            block.add("KV cache", gib(fit.kvCacheBytes))
            block.add("activations", gib(fit.activationBytes))
            block.add("runtime overhead", gib(fit.runtimeOverheadBytes))
            block.add("required", gib(fit.requiredBytes))
            block.add("capacity", gib(fit.capacityBytes))
            if !fit.verdict.fits, let minimum = minimums.first(where: { $0.0.id == fit.target.gpu.id })?.1 {
                block.add(
                    "minimum",
                    "\(minimum.tensorParallel) × \(fit.target.gpu.displayName) (tensor parallel \(minimum.tensorParallel): \(verdict(minimum)))")
            }
            out.append(block.render())
        }
        var table = TextTable(header: ["GPU", "memory", "min TP", "per-GPU need", "headroom"], numeric: [1, 2, 3, 4])
        for (gpu, minimum) in minimums {
            guard let minimum else {
                table.rows.append([gpu.displayName, gib(gpu.usableMemoryBytes), "none ≤ 64", "", ""])
                continue
            }
            table.rows.append([
                gpu.displayName, gib(gpu.usableMemoryBytes), String(minimum.tensorParallel), gib(minimum.requiredBytes),
                gib(minimum.capacityBytes - minimum.requiredBytes),
            ])
        }
        out.append("")
        out.append("Minimum tensor-parallel degree per GPU type (a divisor of \(m.architecture.attentionHeads) attention heads):")
        out.append(table.render())
        return out.joined(separator: "\n")
    }

    static func fitJSON(_ fit: MemoryFit) -> ConfigValue {
        var verdictName: String
        var margin: Double
        switch fit.verdict {
        case .fits(let headroom): (verdictName, margin) = ("fits", headroom)
        case .tight(let headroom): (verdictName, margin) = ("tight", headroom)
        case .doesNotFit(let short): (verdictName, margin) = ("does_not_fit", -short)
        }
        return .object([
            "gpu": .string(fit.target.gpu.id), "target": .string(fit.target.label), "tensor_parallel": .number(Double(fit.tensorParallel)),
            "verdict": .string(verdictName), "fits": .bool(fit.verdict.fits), "headroom_bytes": .number(margin),
            "weights_bytes": .number(fit.weightBytes), "kv_cache_bytes": .number(fit.kvCacheBytes), "activation_bytes": .number(fit.activationBytes),
            "runtime_overhead_bytes": .number(fit.runtimeOverheadBytes), "required_bytes": .number(fit.requiredBytes),
            "capacity_bytes": .number(fit.capacityBytes),
        ])
    }

    static func json(request: MemoryFitRequest, fit: MemoryFit?, minimums: [(GPUModel, MemoryFit?)]) -> String {
        ConfigValue.object([
            "model": .string(request.model.name),
            "weights": .string(request.weights.description),
            "kv_cache_dtype": .string(request.kvCache.rawValue),
            "context": .number(Double(request.context)),
            "concurrency": .number(Double(request.concurrentSequences)),
            "fit": fit.map(fitJSON) ?? .null,
            "minimum_tensor_parallel": .array(
                minimums.map { gpu, minimum in
                    .object([
                        "gpu": .string(gpu.id), "tensor_parallel": .optional(minimum?.tensorParallel),
                        "required_bytes": .optional(minimum?.requiredBytes),
                    ])
                }),
        ]).jsonText()
    }
}
