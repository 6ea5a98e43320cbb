public import ModelPlaneCore

/// Every constant of the twin's performance, power and thermal models, with where its default comes from.
///
/// A scenario overrides any of them by name (`constants: {execution_idle_power_fraction: 0.8}`); `table` lists
/// the names, so an unknown name is an error that lists the known ones.
public struct TwinConstants: Sendable, Equatable {
    // MARK: Training

    /// Fraction of the dense peak a large-batch training step reaches while it computes. Megatron-LM reports
    /// 41–48 % MFU for GPT models on A100/H100 at scale; MegaScale reports 55.2 % at 12,288 GPUs (Jiang et al.,
    /// NSDI'24); Llama 3 405B trained at 38–43 %. The kernel efficiency sits at the top of that range because
    /// communication, small batches and stalls are modelled separately.
    public var trainingKernelEfficiency = 0.55
    /// Tokens per GPU per step at which tensor-core efficiency is half its large-batch value: small batches underfeed
    /// the tensor cores (GEMMs with few rows). The half-saturation form `t / (t + k)` matches the GEMM efficiency curves
    /// NVIDIA publishes for M ≤ 1024 within ±10 %; 1,024 tokens puts a 4 k-token micro-batch at 80 %.
    public var smallBatchHalfSaturationTokens = 1_024.0
    /// Fraction of gradient all-reduce hidden behind the backward pass (bucketed DDP / ZeRO overlap).
    public var communicationOverlap = 0.6
    /// Bytes of gradient per parameter exchanged each step (bf16 gradients).
    public var gradientBytesPerParameter = 2.0
    /// HBM activity of a training step while it computes, as a fraction of peak bandwidth (dcgm DRAM_ACTIVE of
    /// 0.3–0.5 is typical for large GEMM-bound training; the fixture `readme-quickstart` shows 0.69 under load).
    public var trainingMemoryActivity = 0.45

    // MARK: Inference

    /// Fraction of the dense peak a prefill (prompt) pass reaches.
    public var prefillKernelEfficiency = 0.55
    /// Fraction of the dense peak a decode step reaches when it is compute-bound (large batches).
    public var decodeKernelEfficiency = 0.45
    /// Fraction of HBM bandwidth a decode step reaches when memory-bound (vLLM attention and GEMV kernels reach
    /// 70–85 % of peak bandwidth).
    public var decodeBandwidthEfficiency = 0.8
    /// Fixed scheduler and launch overhead per engine step, seconds (vLLM v1 CPU overhead is 1–5 ms per step).
    public var engineStepOverheadSeconds = 0.002
    /// Latency of one tensor-parallel all-reduce over NVLink, seconds (two per layer per step).
    public var tensorParallelAllReduceSeconds = 0.000_015
    /// Fraction of the KV cache vLLM keeps free when admitting (`watermark`).
    public var kvCacheWatermark = 0.01
    /// Seconds a request waits in an engine's queue before its client gives up (a gateway timeout).
    public var requestTimeoutSeconds = 600.0
    /// Fraction of device memory vLLM may use (`--gpu-memory-utilization`, default 0.9).
    public var gpuMemoryUtilization = 0.9

    // MARK: Sharing

    /// Throughput lost per additional busy MPS client on the same GPU (cache and bandwidth contention). Co-location
    /// studies report 5–25 % slowdowns for pairs of inference kernels (e.g. Gilman et al., MLSys'23 workshop); 0.1
    /// is the middle.
    public var mpsInterferencePerClient = 0.1
    /// The most MPS interference can take away, whatever the number of clients.
    public var mpsInterferenceMaximum = 0.5

    // MARK: Fabric

    /// Bytes per second per GPU across nodes (one 400 Gb/s InfiniBand or RoCE NIC per GPU).
    public var crossNodeBandwidthBytesPerSecond = 50e9
    /// Bytes per second per direction of a PCIe ×16 link, by generation 4 (gen 5 doubles it).
    public var pcieGen4BandwidthBytesPerSecond = 32e9

    // MARK: Power and heat

    /// Board power of a GPU with no context as a fraction of TDP (H100 SXM idles at 70–90 W of 700 W, A100 at
    /// 50–60 W of 400 W).
    public var idlePowerFraction = 0.12
    /// Board power of a GPU that holds a context but does no useful work, as a fraction of TDP: the execution-idle
    /// state of the seeds ("between sixty and ninety percent of its full thermal design power").
    public var executionIdlePowerFraction = 0.65
    /// Weight of SM activity in active power (the rest goes to HBM activity).
    public var powerComputeWeight = 0.7
    /// Inlet air temperature, °C.
    public var ambientCelsius = 30.0
    /// Steady-state temperature rise per watt, °C/W (an H100 SXM at 700 W settles near 79 °C).
    public var thermalResistanceCelsiusPerWatt = 0.07
    /// First-order thermal time constant of a board and its heat sink, seconds.
    public var thermalTimeConstantSeconds = 45.0
    /// Temperature at which the GPU slows its clocks (HW slowdown).
    public var slowdownCelsius = 87.0
    /// Clock factor while slowed down by heat.
    public var thermalSlowdownClockFactor = 0.7
    /// Highest SM clock, MHz, and the clock with no context.
    public var boostClockMHz = 1_980.0
    public var idleClockMHz = 345.0
    /// HBM temperature above the die temperature under load, °C.
    public var memoryTemperatureOffsetCelsius = 6.0

    // MARK: Money

    /// Electricity price per kWh for energy cost (US commercial average, EIA 2024: 12–13 ¢/kWh).
    public var electricityUSDPerKWh = 0.12

    public init() {}

    /// Names usable in a scenario's `constants:` section.
    public static var table: [(name: String, path: WritableKeyPath<TwinConstants, Double>)] {
        [
            ("training_kernel_efficiency", \.trainingKernelEfficiency),
            ("small_batch_half_saturation_tokens", \.smallBatchHalfSaturationTokens),
            ("communication_overlap", \.communicationOverlap),
            ("gradient_bytes_per_parameter", \.gradientBytesPerParameter),
            ("training_memory_activity", \.trainingMemoryActivity),
            ("prefill_kernel_efficiency", \.prefillKernelEfficiency),
            ("decode_kernel_efficiency", \.decodeKernelEfficiency),
            ("decode_bandwidth_efficiency", \.decodeBandwidthEfficiency),
            ("engine_step_overhead_seconds", \.engineStepOverheadSeconds),
            ("tensor_parallel_all_reduce_seconds", \.tensorParallelAllReduceSeconds),
            ("kv_cache_watermark", \.kvCacheWatermark),
            ("gpu_memory_utilization", \.gpuMemoryUtilization),
            ("request_timeout_seconds", \.requestTimeoutSeconds),
            ("mps_interference_per_client", \.mpsInterferencePerClient),
            ("mps_interference_maximum", \.mpsInterferenceMaximum),
            ("cross_node_bandwidth_bytes_per_second", \.crossNodeBandwidthBytesPerSecond),
            ("pcie_gen4_bandwidth_bytes_per_second", \.pcieGen4BandwidthBytesPerSecond),
            ("idle_power_fraction", \.idlePowerFraction),
            ("execution_idle_power_fraction", \.executionIdlePowerFraction),
            ("power_compute_weight", \.powerComputeWeight),
            ("ambient_celsius", \.ambientCelsius),
            ("thermal_resistance_celsius_per_watt", \.thermalResistanceCelsiusPerWatt),
            ("thermal_time_constant_seconds", \.thermalTimeConstantSeconds),
            ("slowdown_celsius", \.slowdownCelsius),
            ("thermal_slowdown_clock_factor", \.thermalSlowdownClockFactor),
            ("boost_clock_mhz", \.boostClockMHz),
            ("idle_clock_mhz", \.idleClockMHz),
            ("memory_temperature_offset_celsius", \.memoryTemperatureOffsetCelsius),
            ("electricity_usd_per_kwh", \.electricityUSDPerKWh),
        ]
    }

    /// Applies `constants:` overrides; every value must be finite and non-negative, fractions at most 1.
    public mutating func apply(_ cursor: ConfigCursor) throws(InputError) {
        for key in try cursor.keys() {
            guard let entry = Self.table.first(where: { $0.name == key }) else {
                throw InputError(
                    "\(cursor.path).\(key)", "not a twin constant",
                    expected: "one of \(Self.table.map(\.name).joined(separator: ", "))")
            }
            let value = try cursor.requiredDouble(key)
            guard value >= 0 else { throw InputError("\(cursor.path).\(key)", "\(value) is negative", expected: "a value ≥ 0") }
            if key.contains("fraction") || key.contains("efficiency") || key.contains("overlap") || key.contains("utilization")
                || key.contains("interference") || key.contains("watermark") || key.contains("weight") || key.hasSuffix("factor")
                || key == "training_memory_activity"
            {
                guard value <= 1 else { throw InputError("\(cursor.path).\(key)", "\(value) is above 1", expected: "a fraction 0…1") }
            }
            self[keyPath: entry.path] = value
        }
        guard executionIdlePowerFraction >= idlePowerFraction else {
            throw InputError(
                "\(cursor.path).execution_idle_power_fraction", "\(executionIdlePowerFraction) is below idle_power_fraction \(idlePowerFraction)",
                expected: "execution-idle power at least the idle power")
        }
    }
}

extension ConfigCursor {
    /// A required number under `key`, with the path in the error.
    public func requiredDouble(_ keys: String...) throws(InputError) -> Double {
        for key in keys { if let value = try optionalDouble(key) { return value } }
        throw InputError(path, "missing field \(keys.map { "\"\($0)\"" }.joined(separator: " or "))", expected: "a number")
    }

    /// A required string under `key`, with the path in the error.
    public func requiredString(_ keys: String...) throws(InputError) -> String {
        for key in keys { if let value = try optionalString(key) { return value } }
        throw InputError(path, "missing field \(keys.map { "\"\($0)\"" }.joined(separator: " or "))", expected: "a string")
    }
}
