import ModelPlaneCore

/// Renders the catalogs.
enum CatalogReport {
    static func tflops(_ gpu: GPUModel, _ precision: Precision) -> String {
        gpu.peakFLOPS[precision].map { Quantity.significant($0 / 1e12, 5) } ?? "–"
    }

    static func gpusTable(_ catalog: HardwareCatalog) -> String {
        var table = TextTable(
            header: ["id", "name", "bf16 TF", "fp8 TF", "memory GiB", "TB/s", "TDP W", "MIG", "$/h", "alias"], numeric: [2, 3, 4, 5, 6, 8])
        for gpu in catalog.models {
            table.rows.append([
                gpu.id, gpu.displayName, tflops(gpu, .bf16), tflops(gpu, .fp8), Quantity.significant(gpu.memoryBytes / gibibyte, 4),
                Quantity.significant(gpu.memoryBandwidthBytesPerSecond / 1e12, 4), gpu.tdpWatts.map { Quantity.significant($0, 4) } ?? "–",
                gpu.migProfiles.isEmpty ? "–" : "\(gpu.migProfiles.count) profiles", gpu.pricePerHourUSD.map { Quantity.significant($0, 3) } ?? "–",
                gpu.names.last ?? "",
            ])
        }
        return table.render() + "\n\nDense peaks (no 2:4 sparsity). Prices are indicative defaults; override them with --catalog FILE."
    }

    static func gpusJSON(_ catalog: HardwareCatalog) -> String {
        ConfigValue.array(
            catalog.models.map { gpu in
                .object([
                    "id": .string(gpu.id), "display_name": .string(gpu.displayName), "vendor": .string(gpu.vendor.rawValue),
                    "peak_flops": .object(Dictionary(uniqueKeysWithValues: gpu.peakFLOPS.map { ($0.key.rawValue, ConfigValue.number($0.value)) })),
                    "memory_bytes": .number(gpu.memoryBytes), "usable_memory_bytes": .number(gpu.usableMemoryBytes),
                    "memory_bandwidth_bytes_per_second": .number(gpu.memoryBandwidthBytesPerSecond), "tdp_watts": .optional(gpu.tdpWatts),
                    "interconnect": .string(gpu.interconnect.name), "multiprocessors": .optional(gpu.multiprocessors),
                    "price_per_hour_usd": .optional(gpu.pricePerHourUSD), "names": .array(gpu.names.map { .string($0) }),
                    "verification": .string(gpu.verification),
                    "mig_profiles": .array(
                        gpu.migProfiles.map { profile in
                            .object([
                                "name": .string(profile.name), "multiprocessors": .number(Double(profile.multiprocessors)),
                                "memory_bytes": .number(profile.memoryBytes), "max_count": .number(Double(profile.maxCount)),
                                "compute_fraction": .number(gpu.computeFraction(of: profile)),
                            ])
                        }),
                ])
            }
        ).jsonText()
    }

    static func modelsTable(_ catalog: ModelCatalog) -> String {
        var table = TextTable(
            header: ["name", "family", "params", "active", "layers", "d_model", "heads/kv", "experts", "context", "dtype"], numeric: [2, 3, 4, 5, 8])
        for model in catalog.models {
            let a = model.architecture
            table.rows.append([
                model.name, model.family, Quantity.format(model.parameters.total, digits: 3),
                model.isMixtureOfExperts ? Quantity.format(model.parameters.active, digits: 3) : "", String(a.layers), String(a.hiddenSize),
                a.latentAttention == nil ? "\(a.attentionHeads)/\(a.keyValueHeads)" : "\(a.attentionHeads)/MLA",
                a.moe.map { "\($0.expertsPerToken) of \($0.experts)" } ?? "", String(a.maxContext), model.nativePrecision?.rawValue ?? "",
            ])
        }
        return table.render()
    }

    static func modelsJSON(_ catalog: ModelCatalog) -> String {
        ConfigValue.array(
            catalog.models.map { model in
                let a = model.architecture
                return .object([
                    "name": .string(model.name), "display_name": .string(model.displayName), "family": .string(model.family),
                    "total_parameters": .number(model.parameters.total), "active_parameters": .number(model.parameters.active),
                    "published_total_parameters": .optional(model.publishedTotalParameters),
                    "layers": .number(Double(a.layers)), "hidden_size": .number(Double(a.hiddenSize)), "heads": .number(Double(a.attentionHeads)),
                    "kv_heads": .number(Double(a.keyValueHeads)), "head_dim": .number(Double(a.headDim)), "vocab": .number(Double(a.vocabularySize)),
                    "max_context": .number(Double(a.maxContext)), "aliases": .array(model.aliases.map { .string($0) }),
                ])
            }
        ).jsonText()
    }
}
