import ModelPlaneTelemetry
import Testing

/// The normalization rules on hand-written input, for the cases no fixture has: old names, other label
/// spellings, sentinels, NaN and ±Inf, conflicts, exporter pods.
@Suite("Normalizers: rules on synthetic input")
struct NormalizerRulesTests {
    static func normalize(_ text: String, options: TelemetryNormalizer.Options = .init()) throws -> ExpositionReading {
        var parser = ExpositionParser()
        return try ExpositionReading.read(Array(text.utf8), parser: &parser, options: options)
    }

    @Test("dcgm-exporter 1.x names (--use-old-namespace) and lower-case uuid/hostname map like the current ones")
    func oldNamespace() throws {
        let reading = try Self.normalize(
            """
            dcgm_power_usage{gpu="1",uuid="GPU-a",hostname="n1"} 250.5
            dcgm_total_energy_consumption{gpu="1",uuid="GPU-a",hostname="n1"} 1500
            dcgm_gpu_utilization{gpu="1",uuid="GPU-a",hostname="n1"} 45
            dcgm_fb_used{gpu="1",uuid="GPU-a",hostname="n1"} 1024
            dcgm_memory_clock{gpu="1",uuid="GPU-a",hostname="n1"} 1593

            """)
        let gpu = try #require(reading.normalized.device(DeviceKey(node: "n1", gpuIndex: 1)))
        #expect(gpu.uuid == "GPU-a" && gpu[.power] == 250.5 && gpu[.energy] == 1.5 && gpu[.gpuUtilization] == 0.45)
        #expect(gpu[.memoryUsed] == 1_073_741_824 && gpu[.memoryClock] == 1_593_000_000)
    }

    @Test("dcgm blanks: INT64 …792 to …795 from the token, FP64 2^47 to 2^47+3; a large real counter stays")
    func sentinels() throws {
        let reading = try Self.normalize(
            """
            DCGM_FI_DEV_GPU_TEMP{gpu="0"} 9223372036854775792
            DCGM_FI_DEV_MEMORY_TEMP{gpu="0"} 9223372036854775795
            DCGM_FI_DEV_POWER_USAGE{gpu="0"} 140737488355328.000000
            DCGM_FI_DEV_SM_CLOCK{gpu="0"} 140737488355331
            DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{gpu="0"} 9223372036854775000
            DCGM_FI_DEV_PCIE_REPLAY_COUNTER{gpu="0"} 9007199254740993

            """)
        let gpu = try #require(reading.normalized.device(DeviceKey(node: nil, gpuIndex: 0)))
        #expect(gpu[.gpuTemperature] == nil && gpu[.memoryTemperature] == nil && gpu[.power] == nil && gpu[.smClock] == nil)
        #expect(gpu[.energy] == 9_223_372_036_854_775_000.0 / 1000)  // below the blank: a (huge) reading
        #expect(gpu[.pcieReplays] == 9_007_199_254_740_992)  // …993 is not a Double; it rounds to 2^53
        #expect(reading.normalized.problems == [.noData: 4])
    }

    @Test("NaN everywhere: every field absent, every series counted, nothing crashes, the rest of the scrape kept")
    func nanEverywhere() throws {
        let reading = try Self.normalize(
            """
            DCGM_FI_DEV_POWER_USAGE{gpu="0",Hostname="n"} NaN
            DCGM_FI_DEV_GPU_UTIL{gpu="0",Hostname="n"} NaN
            DCGM_FI_DEV_GPU_TEMP{gpu="0",Hostname="n"} +Inf
            DCGM_FI_DEV_SM_CLOCK{gpu="0",Hostname="n"} -Inf
            DCGM_FI_DEV_MEM_CLOCK{gpu="0",Hostname="n"} 1215
            vllm:num_requests_running{model_name="m"} NaN

            """)
        #expect(reading.normalized.problems == [.notANumber: 3, .infinite: 2])
        let gpu = try #require(reading.normalized.device(DeviceKey(node: "n", gpuIndex: 0)))
        #expect(gpu.values.present.map(\.metric) == [.memoryClock])
        #expect(reading.normalized.workloads.isEmpty, "a server is created only by a usable value")
    }

    @Test("absurd values are refused with the unit and range; a ratio a hair over 1 is clamped")
    func ranges() throws {
        let reading = try Self.normalize(
            """
            DCGM_FI_DEV_POWER_USAGE{gpu="0"} 80000
            DCGM_FI_DEV_GPU_UTIL{gpu="0"} -5
            DCGM_FI_PROF_SM_ACTIVE{gpu="0"} 1.02
            DCGM_FI_PROF_DRAM_ACTIVE{gpu="0"} 3
            vllm:kv_cache_usage_perc{model_name="m"} 1.5
            vllm:prompt_tokens_total{model_name="m"} -1

            """)
        #expect(reading.normalized.problems == [.outOfRange: 5])
        let gpu = try #require(reading.normalized.device(DeviceKey(node: nil, gpuIndex: 0)))
        #expect(gpu[.smActive] == 1 && gpu[.power] == nil && gpu[.gpuUtilization] == nil && gpu[.dramActive] == nil)
        #expect(reading.normalized.issues.first?.description.contains("80000.0 W outside 0.0…5000.0") == true)
    }

    @Test("XID with dcgm-exporter 4.x err_code/err_msg: the last code, the message kept, the device not split")
    func xidLabels() throws {
        let reading = try Self.normalize(
            """
            DCGM_FI_DEV_GPU_TEMP{gpu="3",UUID="GPU-x",Hostname="n",DCGM_FI_DRIVER_VERSION="580.95.05",container="cuda",namespace="ml",pod="train-0"} 70
            DCGM_FI_DEV_XID_ERRORS{gpu="3",UUID="GPU-x",Hostname="n",DCGM_FI_DRIVER_VERSION="580.95.05",container="cuda",err_code="79",err_msg="GPU has fallen off the bus",namespace="ml",pod="train-0"} 79

            """)
        #expect(reading.normalized.devices.count == 1)
        let gpu = try #require(reading.normalized.device(DeviceKey(node: "n", gpuIndex: 3)))
        #expect(gpu[.lastXid] == 79 && gpu.xidMessage == "GPU has fallen off the bus" && gpu[.gpuTemperature] == 70)
        #expect(gpu.pod == PodReference(namespace: "ml", pod: "train-0", container: "cuda"))
    }

    @Test("two series for one field of one device: the first is kept and the conflict counted")
    func conflicts() throws {
        let reading = try Self.normalize(
            """
            DCGM_FI_DEV_GPU_TEMP{gpu="0",Hostname="n",pci_bus_id="A"} 50
            DCGM_FI_DEV_GPU_TEMP{gpu="0",Hostname="n",pci_bus_id="B"} 60

            """)
        #expect(reading.normalized.device(DeviceKey(node: "n", gpuIndex: 0))?[.gpuTemperature] == 50)
        #expect(reading.normalized.problems == [.conflictingSeries: 1])
    }

    @Test("identity: a bad GPU index and a series with no GPU label are refused by name")
    func identity() throws {
        let reading = try Self.normalize(
            """
            DCGM_FI_DEV_GPU_TEMP{gpu="zero",Hostname="n"} 50
            DCGM_FI_DEV_GPU_TEMP{Hostname="n"} 50
            DCGM_FI_DEV_GPU_TEMP{gpu="1",Hostname="n"} 51

            """)
        #expect(reading.normalized.problems == [.invalidLabel: 1, .missingIdentity: 1])
        #expect(reading.normalized.devices.map(\.key) == [DeviceKey(node: "n", gpuIndex: 1)])
    }

    @Test("AMD with the amd_ prefix; a non-zero CPX partition reports no power or activity; energy in µJ")
    func amdPrefix() throws {
        let reading = try Self.normalize(
            """
            amd_gpu_package_power{gpu_id="8",gpu_partition_id="0",gpu_compute_partition_type="cpx",hostname="h"} 600
            amd_gpu_package_power{gpu_id="9",gpu_partition_id="1",gpu_compute_partition_type="cpx",hostname="h"} 0
            amd_gpu_gfx_activity{gpu_id="9",gpu_partition_id="1",gpu_compute_partition_type="cpx",hostname="h"} 0
            amd_gpu_energy_consumed{gpu_id="8",gpu_partition_id="0",gpu_compute_partition_type="cpx",hostname="h"} 2500000
            amd_gpu_used_vram{gpu_id="8",gpu_partition_id="0",gpu_compute_partition_type="cpx",hostname="h"} 1024
            amd_gpu_junction_temperature{gpu_id="8",gpu_partition_id="0",gpu_compute_partition_type="cpx",hostname="h"} 71

            """)
        let first = try #require(reading.normalized.device(DeviceKey(node: "h", gpuIndex: 8, instance: 0)))
        #expect(first.vendor == .amd && first[.power] == 600 && first[.energy] == 2.5 && first[.memoryUsed] == 1_073_741_824)
        #expect(first[.hotspotTemperature] == 71)
        let second = try #require(reading.normalized.device(DeviceKey(node: "h", gpuIndex: 9, instance: 1)))
        #expect(second[.power] == nil && second[.gpuUtilization] == nil)
    }

    @Test("vLLM old names: gpu_cache_usage_perc and time_per_output_token_seconds; new names win when both appear")
    func vllmOldNames() throws {
        let old = try Self.normalize(
            """
            vllm:gpu_cache_usage_perc{model_name="m"} 0.25
            vllm:time_per_output_token_seconds_bucket{le="0.05",model_name="m"} 3
            vllm:time_per_output_token_seconds_bucket{le="+Inf",model_name="m"} 4
            vllm:time_per_output_token_seconds_count{model_name="m"} 4
            vllm:time_per_output_token_seconds_sum{model_name="m"} 0.3
            vllm:request_time_per_output_token_seconds_bucket{le="+Inf",model_name="m"} 99

            """, options: .init(target: "t"))
        let server = try #require(old.normalized.workloads.first)
        #expect(server[.kvCacheUsage] == 0.25)
        let itl = try #require(server.latencies[.interTokenLatency])
        #expect(itl.buckets.count == 2 && itl.count == 4 && itl.sum == 0.3 && itl.buckets.last?.count == 4)
        #expect(itl.quantile(0.5) == 0.05 * (2.0 / 3.0))  // rank 2 of 4 inside [0, 0.05] holding 3
        let both = try Self.normalize(
            """
            vllm:gpu_cache_usage_perc{model_name="m"} 0.25
            vllm:kv_cache_usage_perc{model_name="m"} 0.5
            vllm:gpu_cache_usage_perc{model_name="m",x="1"} 0.75

            """)
        #expect(both.normalized.workloads.first?[.kvCacheUsage] == 0.5)
        #expect(both.normalized.problemCount == 0)
    }

    @Test("exporter pods are not workloads; exported_pod wins when Prometheus renamed the labels")
    func exporterPods() throws {
        let reading = try Self.normalize(
            """
            DCGM_FI_DEV_GPU_TEMP{gpu="0",Hostname="n",pod="nvidia-dcgm-exporter-zfgtq",namespace="gpu-operator"} 40
            DCGM_FI_DEV_GPU_TEMP{gpu="1",Hostname="n",pod="nvidia-dcgm-exporter-zfgtq",namespace="gpu-operator",exported_pod="llm-0",exported_namespace="serve",exported_container="main"} 41

            """)
        #expect(reading.normalized.device(DeviceKey(node: "n", gpuIndex: 0))?.pod == nil)
        #expect(
            reading.normalized.device(DeviceKey(node: "n", gpuIndex: 1))?.pod == PodReference(namespace: "serve", pod: "llm-0", container: "main"))
    }

    @Test("a cardinality limit refuses new devices and keeps the ones already seen")
    func deviceLimit() throws {
        var lines = ""
        for gpu in 0..<10 { lines += "DCGM_FI_DEV_GPU_TEMP{gpu=\"\(gpu)\"} 40\n" }
        let reading = try Self.normalize(lines, options: .init(maximumDevices: 4))
        #expect(reading.normalized.devices.count == 4 && reading.normalized.problems == [.deviceLimit: 6])
    }
}
