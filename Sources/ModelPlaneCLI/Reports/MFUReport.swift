import ModelPlaneCore

/// Renders an MFU result as a table for people or JSON for scripts.
enum MFUReport {
    static func table(_ r: MFUResult, roofline: DecodeRoofline?, model: ModelSpec?) -> String {
        var block = KeyValueBlock()
        block.add("MFU", "\(Quantity.percent(r.mfu))  of \(Quantity.format(r.peak.perDevice, unit: "FLOP/s")) per device")
        if let whole = r.mfuOfWholeDevice { block.add("MFU of whole GPU", Quantity.percent(whole)) }
        if let hfu = r.hfu { block.add("HFU", "\(Quantity.percent(hfu))  (recompute: \(r.recompute.rawValue))") }
        if let roofline {
            block.add(
                "bandwidth util.", "\(Quantity.percent(roofline.bandwidthUtilization)) of HBM bandwidth (decode is memory-bound; low MFU is expected)"
            )
            block.add(
                "decode roofline",
                "\(Quantity.format(roofline.bandwidthBoundTokensPerSecond)) tokens/s at full bandwidth; intensity "
                    + "\(Quantity.significant(roofline.arithmeticIntensity, 3)) FLOP/B vs ridge \(Quantity.significant(roofline.ridgePoint, 3))")
        }
        block.add("formula", "\(r.formula.rawValue): \(r.formula.summary)")
        block.add("attention", r.attention.rawValue)
        block.add(
            "FLOPs per token",
            "\(Quantity.format(r.flopsPerToken, unit: "FLOP")) model, \(Quantity.format(r.hardwareFLOPSPerToken, unit: "FLOP")) hardware")
        for term in r.terms where term.flops > 0 { block.add("  \(term.name)", Quantity.format(term.flops, unit: "FLOP")) }
        if let n = r.parametersCounted { block.add("N counted", Quantity.format(n) + (model.map { " (\($0.displayName))" } ?? "")) }
        block.add(
            "throughput",
            "\(Quantity.format(r.tokensPerSecond)) tokens/s total, \(Quantity.format(r.tokensPerSecondPerDevice)) per device, \(r.devices) device(s)")
        block.add("model FLOP/s", "\(Quantity.format(r.modelFLOPSPerDevice, unit: "FLOP/s")) per device")
        block.add("peak", "\(Quantity.format(r.peak.perDevice, unit: "FLOP/s")) per device: \(r.peak.source)")
        return block.render()
    }

    static func json(_ r: MFUResult, roofline: DecodeRoofline?) -> String {
        var fields: [String: ConfigValue] = [
            "flops_per_token": .number(r.flopsPerToken),
            "hw_flops_per_token": .number(r.hardwareFLOPSPerToken),
            "model_tflops_per_device": .number(r.modelFLOPSPerDevice / 1e12),
            "hw_tflops_per_device": .number(r.hardwareFLOPSPerDevice / 1e12),
            "mfu": .number(r.mfu),
            "hfu": .optional(r.hfu),
            "mfu_of_whole_gpu": .optional(r.mfuOfWholeDevice),
            "formula": .string(r.formula.rawValue),
            "attention": .string(r.attention.rawValue),
            "recompute": .string(r.recompute.rawValue),
            "peak_flops_per_device": .number(r.peak.perDevice),
            "peak_source": .string(r.peak.source),
            "tokens_per_second": .number(r.tokensPerSecond),
            "tokens_per_second_per_device": .number(r.tokensPerSecondPerDevice),
            "devices": .number(Double(r.devices)),
            "params_counted": .optional(r.parametersCounted),
            "terms": .object(Dictionary(r.terms.map { ($0.name, ConfigValue.number($0.flops)) }, uniquingKeysWith: { first, _ in first })),
        ]
        if let roofline {
            fields["memory_bandwidth_utilization"] = .number(roofline.bandwidthUtilization)
            fields["decode_bytes_per_step"] = .number(roofline.bytesPerStep)
            fields["bandwidth_bound_tokens_per_second"] = .number(roofline.bandwidthBoundTokensPerSecond)
        }
        return ConfigValue.object(fields).jsonText()
    }
}
