import ModelPlaneCore
import ModelPlaneTelemetry

/// What the simulated fleet serves: dcgm-exporter text per node and vLLM text per inference workload, with the
/// metric names, HELP texts, types and labels the real exporters write (see `../shared/fixtures/dcgm-exporter` and
/// `../shared/fixtures/vllm`), so the telemetry path reads the twin exactly as it reads a real fleet.
public enum TwinExposition {
    /// dcgm-exporter's driver label value: the driver of the fixture scrape from an H100 node.
    public static let driverVersion = "580.105.08"

    /// The dcgm-exporter scrape of node `node`, or nil when the node is lost (its exporter does not answer).
    public static func dcgm(_ simulation: FleetSimulation, node nodeNumber: Int) -> String? {
        let node = simulation.nodes[nodeNumber]
        guard node.healthy else { return nil }
        var families = DCGMFamilies()
        let constants = simulation.constants
        for gpuNumber in node.gpuRange {
            let gpu = simulation.gpus[gpuNumber]
            guard gpu.health != .fallenOff, gpu.health != .lost else { continue }
            var labels = [
                Label("gpu", String(gpu.index)), Label("UUID", gpu.uuid), Label("pci_bus_id", gpu.busID), Label("device", "nvidia\(gpu.index)"),
                Label("modelName", simulation.model(of: gpu).names.first ?? simulation.model(of: gpu).displayName), Label("Hostname", node.name),
                Label("DCGM_FI_DRIVER_VERSION", driverVersion),
            ]
            let owner = gpu.wholeOwner ?? gpu.mps?.first?.workload
            if let owner, gpu.mig.isEmpty { labels += podLabels(simulation.workloads[owner].spec) }
            let mebibyte = 1_048_576.0
            let reserved = gpu.memoryBytes - gpu.usableMemoryBytes
            let clock = gpu.resident ? constants.boostClockMHz * gpu.clockFactor : constants.idleClockMHz
            families.add(.smClock, labels, clock.rounded())
            families.add(.memoryTemperature, labels, (gpu.celsius + (gpu.resident ? constants.memoryTemperatureOffsetCelsius : 0)).rounded())
            families.add(.gpuTemperature, labels, gpu.celsius.rounded())
            families.add(.power, labels, (gpu.watts * 1000).rounded() / 1000)
            families.add(.energy, labels, (gpu.energyJoules * 1000).rounded(.down))
            families.add(.pcieReplay, labels, 0)
            families.add(.gpuUtilization, labels, gpu.mig.isEmpty ? (min(1, gpu.smActive > 0 ? gpu.graphicsActive : 0) * 100).rounded() : 0)
            families.add(.memoryCopyUtilization, labels, (gpu.dramActive * 100).rounded())
            families.add(.framebufferFree, labels, max(0, (gpu.usableMemoryBytes - gpu.memoryUsedBytes) / mebibyte).rounded(.down))
            families.add(.framebufferUsed, labels, (gpu.memoryUsedBytes / mebibyte).rounded(.up))
            families.add(.framebufferReserved, labels, (reserved / mebibyte).rounded())
            families.add(.xid, labels, Double(gpu.lastXID))
            if gpu.mig.isEmpty {
                families.add(.graphicsActive, labels, ratio(gpu.graphicsActive))
                families.add(.smActive, labels, ratio(gpu.smActive))
                families.add(.tensorActive, labels, ratio(gpu.tensorActive))
                families.add(.dramActive, labels, ratio(gpu.dramActive))
            } else {
                for slot in gpu.mig {
                    var instance = labels
                    instance.insert(contentsOf: [Label("GPU_I_PROFILE", slot.profile.name), Label("GPU_I_ID", String(slot.instanceID))], at: 4)
                    if let owner = slot.owner { instance += podLabels(simulation.workloads[owner].spec) }
                    let activity = slot.owner.map { simulation.instanceActivity($0) } ?? (graphics: 0, sm: 0, tensor: 0, dram: 0)
                    families.add(.xid, instance, Double(gpu.lastXID))
                    families.add(.graphicsActive, instance, ratio(activity.graphics))
                    families.add(.smActive, instance, ratio(activity.sm))
                    families.add(.tensorActive, instance, ratio(activity.tensor))
                    families.add(.dramActive, instance, ratio(activity.dram))
                }
            }
        }
        return ExpositionWriter.write(families.ordered)
    }

    static func podLabels(_ spec: WorkloadSpec) -> [Label] {
        [Label("container", "main"), Label("namespace", spec.namespace), Label("pod", spec.name)]
    }

    static func ratio(_ value: Double) -> Double { (min(1, max(0, value)) * 1_000_000).rounded() / 1_000_000 }

    /// The vLLM `/metrics` text of inference workload `index`, or nil when it is not running.
    public static func vllm(_ simulation: FleetSimulation, workload index: Int) -> String? {
        let workload = simulation.workloads[index]
        guard workload.status == .running, let engine = workload.engine else { return nil }
        let base = [Label("engine", "0"), Label("model_name", workload.spec.model.name)]
        var families: [MetricFamily] = []
        func gauge(_ name: String, _ help: String, _ value: Double, type: MetricType = .gauge) {
            families.append(MetricFamily(name: name, type: type, help: help, samples: [Sample(name: name, labels: base, value: value)]))
        }
        gauge("vllm:num_requests_running", "Number of requests in model execution batches.", Double(engine.running))
        gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", Double(engine.waitingCount))
        gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", ratio(engine.kvUsage))
        gauge("vllm:num_preemptions_total", "Cumulative number of preemption from the engine.", Double(engine.preemptionsTotal), type: .counter)
        gauge("vllm:prompt_tokens_total", "Number of prefill tokens processed.", engine.promptTokensTotal.rounded(.down), type: .counter)
        gauge("vllm:generation_tokens_total", "Number of generation tokens processed.", engine.generationTokensTotal.rounded(.down), type: .counter)
        families.append(
            MetricFamily(
                name: "vllm:request_success_total", type: .counter, help: "Count of successfully processed requests.",
                samples: ["stop", "length", "abort", "error"].map { reason in
                    Sample(
                        name: "vllm:request_success_total", labels: [base[0], Label("finished_reason", reason), base[1]],
                        value: reason == "length" ? Double(engine.succeededTotal) : reason == "abort" ? Double(engine.abortedTotal) : 0)
                }))
        families.append(histogram("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", engine.ttft, base))
        families.append(histogram("vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", engine.itl, base))
        families.append(histogram("vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", engine.e2e, base))
        let blockSize = 16.0
        families.append(
            MetricFamily(
                name: "vllm:cache_config_info", type: .gauge, help: "Information of the LLMEngine CacheConfig",
                samples: [
                    Sample(
                        name: "vllm:cache_config_info",
                        labels: [
                            Label("block_size", "16"), Label("cache_dtype", "auto"), Label("engine", "0"),
                            Label("gpu_memory_utilization", String(simulation.constants.gpuMemoryUtilization)),
                            Label("num_gpu_blocks", String(Int(engine.kvCapacityTokens / blockSize))),
                        ], value: 1)
                ]))
        return ExpositionWriter.write(families)
    }

    /// A float as Python prints it (`1.0`, `0.025`): vLLM's `le` labels come from prometheus_client.
    static func pythonFloat(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? "\(Int64(value)).0" : String(describing: value)
    }

    static func histogram(_ name: String, _ help: String, _ histogram: ServingHistogram, _ labels: [Label]) -> MetricFamily {
        var samples: [Sample] = []
        var cumulative = 0
        for (index, bound) in histogram.bounds.enumerated() {
            cumulative += histogram.counts[index]
            samples.append(
                Sample(name: name + "_bucket", labels: [labels[0], Label("le", pythonFloat(bound)), labels[1]], value: Double(cumulative)))
        }
        samples.append(Sample(name: name + "_bucket", labels: [labels[0], Label("le", "+Inf"), labels[1]], value: Double(histogram.count)))
        samples.append(Sample(name: name + "_count", labels: labels, value: Double(histogram.count)))
        samples.append(Sample(name: name + "_sum", labels: labels, value: histogram.sum))
        return MetricFamily(name: name, type: .histogram, help: help, samples: samples)
    }
}

/// dcgm-exporter's families in the order its default counters file lists them, with its HELP texts.
struct DCGMFamilies {
    enum Field: Int, CaseIterable {
        case smClock, memoryTemperature, gpuTemperature, power, energy, pcieReplay, gpuUtilization, memoryCopyUtilization
        case framebufferFree, framebufferUsed, framebufferReserved, xid, graphicsActive, smActive, tensorActive, dramActive

        var name: String {
            switch self {
            case .smClock: "DCGM_FI_DEV_SM_CLOCK"
            case .memoryTemperature: "DCGM_FI_DEV_MEMORY_TEMP"
            case .gpuTemperature: "DCGM_FI_DEV_GPU_TEMP"
            case .power: "DCGM_FI_DEV_POWER_USAGE"
            case .energy: "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"
            case .pcieReplay: "DCGM_FI_DEV_PCIE_REPLAY_COUNTER"
            case .gpuUtilization: "DCGM_FI_DEV_GPU_UTIL"
            case .memoryCopyUtilization: "DCGM_FI_DEV_MEM_COPY_UTIL"
            case .framebufferFree: "DCGM_FI_DEV_FB_FREE"
            case .framebufferUsed: "DCGM_FI_DEV_FB_USED"
            case .framebufferReserved: "DCGM_FI_DEV_FB_RESERVED"
            case .xid: "DCGM_FI_DEV_XID_ERRORS"
            case .graphicsActive: "DCGM_FI_PROF_GR_ENGINE_ACTIVE"
            case .smActive: "DCGM_FI_PROF_SM_ACTIVE"
            case .tensorActive: "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE"
            case .dramActive: "DCGM_FI_PROF_DRAM_ACTIVE"
            }
        }

        var help: String {
            switch self {
            case .smClock: "SM clock frequency (in MHz)."
            case .memoryTemperature: "Memory temperature (in C)."
            case .gpuTemperature: "GPU temperature (in C)."
            case .power: "Power draw (in W)."
            case .energy: "Total energy consumption since boot (in mJ)."
            case .pcieReplay: "Total number of PCIe retries."
            case .gpuUtilization: "GPU utilization (in %)."
            case .memoryCopyUtilization: "Memory utilization (in %)."
            case .framebufferFree: "Framebuffer memory free (in MiB)."
            case .framebufferUsed: "Framebuffer memory used (in MiB)."
            case .framebufferReserved: "Framebuffer memory reserved (in MiB)."
            case .xid: "Value of the last XID error encountered."
            case .graphicsActive: "Ratio of time the graphics engine is active."
            case .smActive: "The ratio of cycles an SM has at least 1 warp assigned."
            case .tensorActive: "Ratio of cycles the tensor (HMMA) pipe is active."
            case .dramActive: "Ratio of cycles the device memory interface is active sending or receiving data."
            }
        }

        var type: MetricType { self == .energy || self == .pcieReplay ? .counter : .gauge }
    }

    var samples: [[Sample]] = Array(repeating: [], count: Field.allCases.count)

    mutating func add(_ field: Field, _ labels: [Label], _ value: Double) {
        samples[field.rawValue].append(Sample(name: field.name, labels: labels, value: value))
    }

    var ordered: [MetricFamily] {
        Field.allCases.compactMap { field in
            samples[field.rawValue].isEmpty
                ? nil : MetricFamily(name: field.name, type: field.type, help: field.help, samples: samples[field.rawValue])
        }
    }
}

extension FleetSimulation {
    /// Activity of one MIG instance's holder, relative to the instance (dcgm reports profiling metrics per instance).
    func instanceActivity(_ workload: Int) -> (graphics: Double, sm: Double, tensor: Double, dram: Double) {
        let holder = workloads[workload]
        guard holder.status == .running, !holder.zombie, let slot = holder.slots.first, case .mig(let position) = slot.kind else {
            return (0, 0, 0, 0)
        }
        let gpu = gpus[slot.gpu]
        let fraction = model(of: gpu).computeFraction(of: gpu.mig[position].profile)
        let memory = Double(gpu.mig[position].profile.memorySlices) / 8
        let busy = holder.lastBusy
        return (busy, busy, fraction > 0 ? min(1, holder.lastMFU) : 0, memory > 0 ? min(1, holder.lastMemoryActivity / memory) : 0)
    }
}
