/// How one exporter series name becomes a field of ModelPlane's schema: which field, which conversion, and what
/// to do when several series land on the same field of the same device.
struct MetricMapping: Sendable {
    enum Target: Sendable {
        case device(DeviceMetric)
        case workload(WorkloadMetric)
        case latency(LatencyMetric, HistogramPart)
        /// AMD `gpu_clock`: the `clock_type` label says which clock.
        case amdClock
        /// vLLM `cache_config_info`: capacity = `num_gpu_blocks` × `block_size`, read from the labels.
        case vllmCacheConfig
    }

    enum HistogramPart: Sendable {
        case bucket, count, sum
    }

    /// Exact conversions: dividing by the integer gives the correctly rounded result (`15152422938 / 1000` is
    /// `15152422.938`; multiplying by 0.001 is not), multiplying by an exact integer is exact.
    enum Scale: Sendable {
        case identity
        case divide(Double)
        case multiply(Double)

        func apply(_ value: Double) -> Double {
            switch self {
            case .identity: value
            case .divide(let divisor): value / divisor
            case .multiply(let factor): value * factor
            }
        }
    }

    /// When a second series of the same device lands on a field: `single` keeps the first and counts a conflict,
    /// `sum` adds (per-reason counters), `maximum` keeps the largest (several clocks of one type).
    enum Combine: Sendable {
        case single, sum, maximum
    }

    var target: Target
    var vendor: GPUVendor?
    var scale: Scale = .identity
    /// Lower wins: a field set by priority 0 is not overwritten by priority 1 (AMD's three power names, vLLM's old
    /// and new names).
    var priority: UInt8 = 0
    var combine: Combine = .single
    /// dcgm-exporter writes "no data" sentinels into these series.
    var dcgmSentinels = false
}

/// Every series name ModelPlane understands, from dcgm-exporter (current and 1.x `--use-old-namespace`), AMD's
/// device-metrics-exporter (with and without the `amd_` prefix) and vLLM (V1 names and their deprecated V0 aliases).
/// Names are matched exactly: `vllm:time_per_output_token_seconds` must not match
/// `vllm:request_time_per_output_token_seconds`.
enum MetricMappings {
    static let table: [String: MetricMapping] = {
        var table: [String: MetricMapping] = [:]
        let mebibyte = MetricMapping.Scale.multiply(1_048_576)
        let percent = MetricMapping.Scale.divide(100)
        let megahertz = MetricMapping.Scale.multiply(1_000_000)
        let nvidia: [(String, String?, DeviceMetric, MetricMapping.Scale)] = [
            ("DCGM_FI_DEV_POWER_USAGE", "dcgm_power_usage", .power, .identity),
            ("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "dcgm_total_energy_consumption", .energy, .divide(1000)),  // mJ
            ("DCGM_FI_DEV_FB_USED", "dcgm_fb_used", .memoryUsed, mebibyte),
            ("DCGM_FI_DEV_FB_FREE", "dcgm_fb_free", .memoryFree, mebibyte),
            ("DCGM_FI_DEV_FB_RESERVED", nil, .memoryReserved, mebibyte),
            ("DCGM_FI_DEV_FB_TOTAL", nil, .memoryTotal, mebibyte),
            ("DCGM_FI_DEV_GPU_UTIL", "dcgm_gpu_utilization", .gpuUtilization, percent),
            ("DCGM_FI_DEV_MEM_COPY_UTIL", "dcgm_mem_copy_utilization", .memoryCopyUtilization, percent),
            ("DCGM_FI_DEV_ENC_UTIL", "dcgm_enc_utilization", .encoderUtilization, percent),
            ("DCGM_FI_DEV_DEC_UTIL", "dcgm_dec_utilization", .decoderUtilization, percent),
            ("DCGM_FI_PROF_GR_ENGINE_ACTIVE", "dcgm_fi_prof_gr_engine_active", .graphicsEngineActive, .identity),
            ("DCGM_FI_PROF_SM_ACTIVE", "dcgm_fi_prof_sm_active", .smActive, .identity),
            ("DCGM_FI_PROF_SM_OCCUPANCY", "dcgm_fi_prof_sm_occupancy", .smOccupancy, .identity),
            ("DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", "dcgm_fi_prof_pipe_tensor_active", .tensorActive, .identity),
            ("DCGM_FI_PROF_DRAM_ACTIVE", "dcgm_fi_prof_dram_active", .dramActive, .identity),
            ("DCGM_FI_PROF_PIPE_FP64_ACTIVE", nil, .fp64Active, .identity),
            ("DCGM_FI_PROF_PIPE_FP32_ACTIVE", nil, .fp32Active, .identity),
            ("DCGM_FI_PROF_PIPE_FP16_ACTIVE", nil, .fp16Active, .identity),
            ("DCGM_FI_PROF_PCIE_TX_BYTES", "dcgm_fi_prof_pcie_tx_bytes", .pcieTransmit, .identity),
            ("DCGM_FI_PROF_PCIE_RX_BYTES", "dcgm_fi_prof_pcie_rx_bytes", .pcieReceive, .identity),
            ("DCGM_FI_PROF_NVLINK_TX_BYTES", nil, .nvlinkTransmit, .identity),
            ("DCGM_FI_PROF_NVLINK_RX_BYTES", nil, .nvlinkReceive, .identity),
            ("DCGM_FI_DEV_GPU_TEMP", "dcgm_gpu_temp", .gpuTemperature, .identity),
            ("DCGM_FI_DEV_MEMORY_TEMP", "dcgm_memory_temp", .memoryTemperature, .identity),
            ("DCGM_FI_DEV_SM_CLOCK", "dcgm_sm_clock", .smClock, megahertz),
            ("DCGM_FI_DEV_MEM_CLOCK", "dcgm_memory_clock", .memoryClock, megahertz),
            ("DCGM_FI_DEV_XID_ERRORS", "dcgm_xid_errors", .lastXid, .identity),
            ("DCGM_FI_DEV_PCIE_REPLAY_COUNTER", "dcgm_pcie_replay_counter", .pcieReplays, .identity),
            ("DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", "dcgm_nvlink_bandwidth_total", .nvlinkBandwidthTotal, .identity),
            ("DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS", nil, .remappedRowsCorrectable, .identity),
            ("DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS", nil, .remappedRowsUncorrectable, .identity),
            ("DCGM_FI_DEV_ROW_REMAP_FAILURE", nil, .rowRemapFailure, .identity),
            ("DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", nil, .eccCorrectable, .identity),
            ("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", nil, .eccUncorrectable, .identity),
        ]
        for (name, oldName, metric, scale) in nvidia {
            let mapping = MetricMapping(target: .device(metric), vendor: .nvidia, scale: scale, dcgmSentinels: true)
            table[name] = mapping
            if let oldName { table[oldName] = mapping }
        }
        let amd: [(String, DeviceMetric, MetricMapping.Scale, UInt8)] = [
            ("gpu_package_power", .power, .identity, 0),
            ("gpu_power_usage", .power, .identity, 1),
            ("gpu_average_package_power", .power, .identity, 2),
            ("gpu_energy_consumed", .energy, .divide(1_000_000), 0),  // µJ
            ("gpu_gfx_activity", .gpuUtilization, percent, 0),
            ("gpu_usage", .gpuUtilization, percent, 1),  // v1.0
            ("gpu_umc_activity", .dramActive, percent, 0),
            // The exporter's HELP says MB; the reference says MiB in practice, and ModelPlane follows it (see
            // docs/research/telemetry-normalization.md §2.4: no fixture settles it).
            ("gpu_used_vram", .memoryUsed, mebibyte, 0),
            ("gpu_free_vram", .memoryFree, mebibyte, 0),
            ("gpu_total_vram", .memoryTotal, mebibyte, 0),
            ("gpu_total_memory", .memoryTotal, mebibyte, 1),  // v1.0
            ("gpu_edge_temperature", .gpuTemperature, .identity, 0),
            ("gpu_junction_temperature", .hotspotTemperature, .identity, 0),
            ("gpu_memory_temperature", .memoryTemperature, .identity, 0),
            ("pcie_replay_count", .pcieReplays, .identity, 0),
            ("gpu_ecc_correct_total", .eccCorrectable, .identity, 0),
            ("gpu_ecc_uncorrect_total", .eccUncorrectable, .identity, 0),
        ]
        for (name, metric, scale, priority) in amd {
            let mapping = MetricMapping(target: .device(metric), vendor: .amd, scale: scale, priority: priority)
            table[name] = mapping
            table["amd_" + name] = mapping
        }
        table["gpu_clock"] = MetricMapping(target: .amdClock, vendor: .amd, scale: megahertz, combine: .maximum)
        table["amd_gpu_clock"] = table["gpu_clock"]

        let vllm: [(String, WorkloadMetric, UInt8, MetricMapping.Combine)] = [
            ("vllm:num_requests_running", .runningRequests, 0, .single),
            ("vllm:num_requests_waiting", .waitingRequests, 0, .single),
            ("vllm:kv_cache_usage_perc", .kvCacheUsage, 0, .single),  // a ratio despite the name ("1 means 100 percent")
            ("vllm:gpu_cache_usage_perc", .kvCacheUsage, 1, .single),  // deprecated in 0.9
            ("vllm:prompt_tokens_total", .promptTokens, 0, .single),
            ("vllm:generation_tokens_total", .generationTokens, 0, .single),
            ("vllm:num_preemptions_total", .preemptions, 0, .single),
            ("vllm:prefix_cache_queries_total", .prefixCacheQueries, 0, .single),
            ("vllm:prefix_cache_hits_total", .prefixCacheHits, 0, .single),
            ("vllm:gpu_prefix_cache_queries_total", .prefixCacheQueries, 1, .single),
            ("vllm:gpu_prefix_cache_hits_total", .prefixCacheHits, 1, .single),
            ("vllm:request_success_total", .requestsSucceeded, 0, .sum),  // one series per finished_reason
        ]
        for (name, metric, priority, combine) in vllm {
            table[name] = MetricMapping(target: .workload(metric), priority: priority, combine: combine)
        }
        let histograms: [(String, LatencyMetric, UInt8)] = [
            ("vllm:time_to_first_token_seconds", .timeToFirstToken, 0),
            ("vllm:inter_token_latency_seconds", .interTokenLatency, 0),
            ("vllm:time_per_output_token_seconds", .interTokenLatency, 1),  // renamed in ~0.11
            ("vllm:e2e_request_latency_seconds", .endToEndLatency, 0),
        ]
        for (name, metric, priority) in histograms {
            table[name + "_bucket"] = MetricMapping(target: .latency(metric, .bucket), priority: priority)
            table[name + "_count"] = MetricMapping(target: .latency(metric, .count), priority: priority)
            table[name + "_sum"] = MetricMapping(target: .latency(metric, .sum), priority: priority)
        }
        table["vllm:cache_config_info"] = MetricMapping(target: .vllmCacheConfig)
        return table
    }()
}
