import Foundation
import ModelPlaneTelemetry
import ModelPlaneTestSupport
import Testing

/// Golden values for every exporter fixture, from docs/research/telemetry-normalization.md §3 (each value cites the
/// fixture line it comes from there). Conversions are exact: ÷1000, ÷100, ×1,048,576, ×1,000,000.
@Suite("Normalizers: golden values per fixture")
struct NormalizerGoldenTests {
    static func read(_ relativePath: String, options: TelemetryNormalizer.Options = .init()) throws -> ExpositionReading {
        let url = Fixtures.shared.appendingPathComponent("fixtures").appendingPathComponent(relativePath)
        var parser = ExpositionParser()
        return try ExpositionReading.read(Array(try Data(contentsOf: url)), parser: &parser, options: options)
    }

    static func device(_ reading: ExpositionReading, node: String?, gpu: Int?, instance: Int? = nil, uuid: String? = nil) throws -> DeviceSample {
        try #require(reading.normalized.device(DeviceKey(node: node, gpuIndex: gpu, uuid: uuid, instance: instance)))
    }

    /// Every metric of `device` that is present, by name.
    static func present(_ device: DeviceSample) -> Set<DeviceMetric> { Set(device.values.present.map(\.metric)) }

    @Test("L4 full scrape (gpu-operator): 23 fields, exact units, absent XID and NVLink")
    func l4() throws {
        let reading = try Self.read("dcgm-exporter/metrics/l4-gpu-operator-full-scrape.prom")
        #expect(reading.normalized.devices.count == 1)
        #expect(reading.normalized.problemCount == 0)
        let gpu = try Self.device(reading, node: "i-030791dc5a37cd257", gpu: 0)
        #expect(gpu.vendor == .nvidia && gpu.uuid == "GPU-c2f76b33-7953-256e-8f33-1343419b1a1c" && gpu.modelName == "NVIDIA L4")
        #expect(gpu.pciBusID == "00000000:31:00.0" && gpu.driverVersion == "580.105.08" && gpu.pod == nil && gpu.key.instance == nil)
        let expected: [(DeviceMetric, Double)] = [
            (.smClock, 210_000_000),  // 210 MHz × 1,000,000
            (.memoryClock, 405_000_000),
            (.memoryTemperature, 0),  // a real 0 °C reading on GDDR, not "unsupported"
            (.gpuTemperature, 31),
            (.power, 16.365),  // "16.365000" W
            (.energy, 4742.776),  // 4,742,776 mJ ÷ 1000
            (.pcieReplays, 0),
            (.gpuUtilization, 0), (.memoryCopyUtilization, 0), (.encoderUtilization, 0), (.decoderUtilization, 0),
            (.memoryFree, 23_659_020_288),  // 22,563 MiB × 1,048,576
            (.memoryUsed, 0),
            (.memoryReserved, 492_830_720),  // 470 MiB
            (.remappedRowsUncorrectable, 0), (.remappedRowsCorrectable, 0), (.rowRemapFailure, 0),
            (.graphicsEngineActive, 0), (.tensorActive, 0), (.dramActive, 0),
            (.pcieTransmit, 112_603), (.pcieReceive, 17_544),
        ]
        for (metric, value) in expected { #expect(gpu[metric] == value, "\(metric)") }
        #expect(Self.present(gpu) == Set(expected.map(\.0)), "nothing else is present: no XID, NVLink, SM activity")
        #expect(gpu[.lastXid] == nil && gpu[.nvlinkBandwidthTotal] == nil && gpu[.smActive] == nil)
    }

    @Test("T4 under load, no HELP lines: GPU_UTIL 0…100 and PROF 0…1 kept apart; energy beyond Int32")
    func t4UnderLoad() throws {
        let reading = try Self.read("dcgm-exporter/metrics/t4-under-load-no-help-lines.prom")
        let gpu = try Self.device(reading, node: "cp-bm14r7", gpu: 0)
        #expect(gpu.modelName == "Tesla T4" && gpu.driverVersion == "590.48.01" && gpu.pciBusID == "00000000:37:00.0")
        let expected: [(DeviceMetric, Double)] = [
            (.smClock, 660_000_000), (.memoryClock, 5_000_000_000), (.memoryTemperature, 0), (.gpuTemperature, 74),
            (.power, 68.244),
            (.energy, 15_152_422.938),  // 15,152,422,938 mJ ÷ 1000 (× 0.001 would give …938000001)
            (.pcieReplays, 0),
            (.gpuUtilization, 0.91),  // "91" ÷ 100
            (.memoryCopyUtilization, 0.73), (.encoderUtilization, 0), (.decoderUtilization, 0),
            (.memoryFree, 10_266_607_616),  // 9,791 MiB
            (.memoryUsed, 5_368_709_120),  // 5,120 MiB
            (.memoryReserved, 468_713_472),  // 447 MiB
            (.graphicsEngineActive, 0.156205),  // a ratio as written: not ÷ 100, and not derived from GPU_UTIL
            (.tensorActive, 0.005822), (.dramActive, 0.092781),
            (.pcieTransmit, 4_791_810), (.pcieReceive, 6_935_930),
        ]
        for (metric, value) in expected { #expect(gpu[metric] == value, "\(metric)") }
        #expect(Self.present(gpu) == Set(expected.map(\.0)))
    }

    @Test("H100 × 8 with vLLM pod labels: devices by index, pod only where bound, MEM_COPY absent on GPUs 6 and 7")
    func h100() throws {
        let reading = try Self.read("dcgm-exporter/metrics/h100-8gpu-sampled-vllm-pod-labels.prom")
        #expect(reading.normalized.devices.map(\.key.gpuIndex) == Array(0..<8).map { $0 })
        let table: [(gpu: Int, uuid: String, bus: String, temperature: Double, power: Double)] = [
            (0, "GPU-c4529c8d-69c4-b61d-e0bc-7b2460096005", "53", 30, 113.611),
            (1, "GPU-bc5610b9-79c8-fedd-8899-07539c7f868a", "64", 29, 68.347),
            (2, "GPU-fbc2c554-4d37-8938-0032-f923bad0f716", "75", 26, 65.709),
            (3, "GPU-a65a773d-52bb-bcc1-a8ee-f78c3faa2e2d", "86", 29, 67.316),
            (4, "GPU-82e45d1b-1618-559f-144c-eab51545030b", "97", 28, 68.717),
            (5, "GPU-39e28159-8c62-ee71-64db-b748edd61e15", "A8", 26, 65.742),
            (6, "GPU-e64d69ca-b4b3-59b2-e78c-94f26c4db365", "B9", 28, 67.328),
            (7, "GPU-04d228d3-3b5a-3534-f5cf-969706647d56", "CA", 26, 66.997),
        ]
        var total = 0.0
        for row in table {
            let gpu = try Self.device(reading, node: "gpu-node-1", gpu: row.gpu)
            #expect(gpu.uuid == row.uuid && gpu.pciBusID == "00000000:\(row.bus):00.0" && gpu.modelName == "NVIDIA H100 80GB HBM3")
            #expect(gpu[.gpuTemperature] == row.temperature && gpu[.power] == row.power && gpu[.gpuUtilization] == 0)
            #expect(gpu[.memoryCopyUtilization] == (row.gpu < 6 ? 0 : nil), "GPU \(row.gpu): absent is not zero")
            #expect(
                gpu.pod
                    == (row.gpu == 0 ? PodReference(namespace: "dynamo-workload", pod: "vllm-agg-0-vllmdecodeworker-s65j5", container: "main") : nil))
            total += gpu[.power] ?? 0
        }
        #expect(close(total, 583.767, within: 1e-9))  // the exact sum; doubles give 583.7669999999999
    }

    @Test("A100 MIG 1g.5gb: whole GPU and GPU instance 13 are two devices; the instance inherits nothing")
    func a100MIG() throws {
        let reading = try Self.read("dcgm-exporter/metrics/a100-mig-1g.5gb-nvidia-docs.prom")
        #expect(reading.normalized.devices.count == 2)
        #expect(reading.normalized.problemCount == 0)
        let whole = try Self.device(reading, node: "ub20-a100-k8s", gpu: 0)
        #expect(whole.uuid == "GPU-34319582-d595-d1c7-d1d2-179bcfa61660" && whole.modelName == nil && whole.partitionProfile == nil)
        let expected: [(DeviceMetric, Double)] = [
            (.smClock, 1_215_000_000), (.memoryClock, 1_215_000_000), (.memoryTemperature, 69), (.gpuTemperature, 61),
            (.power, 409.692), (.energy, 319_159.391), (.pcieReplays, 0), (.lastXid, 0),
            (.memoryFree, 37_423_677_440), (.memoryUsed, 5_080_350_720), (.nvlinkBandwidthTotal, 0),
            (.graphicsEngineActive, 0.99563), (.tensorActive, 0.92926), (.dramActive, 0.690789),
            (.pcieTransmit, 33_011_804), (.pcieReceive, 97_863_601),
        ]
        for (metric, value) in expected { #expect(whole[metric] == value, "\(metric)") }
        #expect(Self.present(whole) == Set(expected.map(\.0)))
        let instance = try Self.device(reading, node: "ub20-a100-k8s", gpu: 0, instance: 13)
        #expect(instance.partitionProfile == "1g.5gb" && instance.uuid == whole.uuid)
        let instanceValues: [(DeviceMetric, Double)] = [
            (.lastXid, 0), (.graphicsEngineActive, 0.995687), (.tensorActive, 0.930433), (.dramActive, 0.800339),
        ]
        for (metric, value) in instanceValues { #expect(instance[metric] == value, "\(metric)") }
        #expect(Self.present(instance) == Set(instanceValues.map(\.0)), "no power, clocks, temperature or memory on a GPU instance")
    }

    @Test("T4 GKE DCP: an empty pod label is no pod")
    func t4GKE() throws {
        let reading = try Self.read("dcgm-exporter/metrics/t4-gke-2gpu-dcp-pod-labels.prom")
        let node = "gke-test-dcgm-default-pool-fed1e979-tt7p"
        let bound = try Self.device(reading, node: node, gpu: 0)
        #expect(bound.pod == PodReference(namespace: "default", pod: "triton-84d57987c9-kks4k", container: "triton-server"))
        #expect(bound.uuid == "GPU-84412445-5790-0b3f-f714-da8aa3b2c0b0" && bound.pciBusID == nil && bound.driverVersion == nil)
        let free = try Self.device(reading, node: node, gpu: 1)
        #expect(free.pod == nil)
        for gpu in [bound, free] {
            #expect(gpu[.smActive] == 0 && gpu[.smOccupancy] == 0 && gpu[.tensorActive] == 0)
            #expect(Self.present(gpu) == [.smActive, .smOccupancy, .tensorActive])
        }
    }

    @Test("README quick start: the NOT_SUPPORTED sentinel is absent, counted as no data")
    func readmeSentinel() throws {
        let reading = try Self.read("dcgm-exporter/metrics/readme-quickstart-doc-edited.prom")
        let gpu = try Self.device(reading, node: nil, gpu: 0)
        #expect(gpu.uuid == "GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52")
        #expect(gpu[.smClock] == 139_000_000 && gpu[.memoryClock] == 405_000_000)
        #expect(gpu[.memoryTemperature] == nil)
        #expect(reading.normalized.problems == [.noData: 1])
        #expect(reading.normalized.issues.first?.line == 9)
    }

    @Test("AMD gpu_clock: system → SM clock, memory → memory clock, other clock types unmapped")
    func amdClock() throws {
        let reading = try Self.read("amd-device-metrics-exporter/gpu_clock-docs-example.prom")
        #expect(reading.normalized.devices.map(\.key.gpuIndex) == [0, 3, 5])
        let gpu0 = try Self.device(reading, node: "xxxx", gpu: 0)
        #expect(gpu0.vendor == .amd && gpu0[.smClock] == 132_000_000 && gpu0[.memoryClock] == 900_000_000 && gpu0.key.instance == nil)
        #expect(try Self.device(reading, node: "xxxx", gpu: 3).values.isEmpty)
        #expect(try Self.device(reading, node: "xxxx", gpu: 5).values.isEmpty)
    }

    @Test("AMD v1.0 exporter: upper-case labels, keyed by UUID; power precedence; memory in MiB; gpu_nodes_total is no device")
    func amdLegacy() throws {
        let reading = try Self.read("amd-device-metrics-exporter/legacy-metrics-mini-v1.0.prom")
        #expect(reading.normalized.devices.count == 1)
        let gpu = try Self.device(reading, node: nil, gpu: nil, uuid: "6699c0a8-4200-4242-037f-f97e6cae0f09")
        #expect(gpu.serialNumber == "692247001282" && gpu.vendor == .amd)
        #expect(gpu[.power] == 41 && gpu[.gpuUtilization] == 0)
        #expect(gpu[.memoryTotal] == 72_039_268_352)  // 68,702 × 1,048,576
        #expect(reading.normalized.problemCount == 0, "the duplicate power name is precedence, not a conflict")
    }

    @Test("AMD MI300X as stored in Prometheus: CPX partition, exporter pod dropped, workload pod kept, 100 % → 1")
    func amdMI300X() throws {
        let reading = try Self.read("amd-device-metrics-exporter/mi300x-gpu_gfx_activity-prometheus-series.txt")
        #expect(reading.normalized.devices.count == 3)
        let idle = try Self.device(reading, node: "tw038", gpu: 2)
        #expect(idle.modelName == "AMD Instinct MI300X OAM" && idle.uuid == "ccff74a1-0000-1000-80e0-c6d49f5b0d86" && idle.pod == nil)
        #expect(idle[.gpuUtilization] == 0 && idle.serialNumber == "692409005408")
        let partition = try Self.device(reading, node: "tw009", gpu: 47, instance: 0)
        #expect(partition.partitionProfile == "cpx/nps4" && partition.pod == nil && partition[.gpuUtilization] == 0)
        let busy = try Self.device(reading, node: "tw038", gpu: 0)
        #expect(busy[.gpuUtilization] == 1 && busy.pod == PodReference(namespace: "default", pod: "high-utilization-57ls6", container: "workload"))
    }

    @Test("vLLM V1 (Qwen2.5-0.5B, idle): one server, gauges, counters, three latency histograms, KV capacity")
    func vllm() throws {
        let reading = try Self.read("vllm/vllm-v1-metrics-qwen2.5-0.5b-idle-kops.prom", options: .init(target: "qwen:8000"))
        #expect(reading.normalized.devices.isEmpty && reading.normalized.problemCount == 0)
        let server = try #require(reading.normalized.workloads.first)
        #expect(reading.normalized.workloads.count == 1)
        #expect(server.key == WorkloadKey(target: "qwen:8000", modelName: "Qwen/Qwen2.5-0.5B-Instruct", engine: "0"))
        let expected: [(WorkloadMetric, Double)] = [
            (.runningRequests, 0), (.waitingRequests, 0), (.kvCacheUsage, 0), (.promptTokens, 0), (.generationTokens, 0),
            (.preemptions, 0), (.prefixCacheQueries, 0), (.prefixCacheHits, 0), (.requestsSucceeded, 0),
            (.kvCacheCapacity, 1_626_000),  // num_gpu_blocks 101,625 × block_size 16
        ]
        for (metric, value) in expected { #expect(server[metric] == value, "\(metric)") }
        let ttft = try #require(server.latencies[.timeToFirstToken])
        #expect(
            ttft.buckets.map(\.upperBound) == [
                0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560, .infinity,
            ])
        #expect(ttft.count == 0 && ttft.sum == 0 && ttft.quantile(0.5) == nil)
        #expect(server.latencies[.interTokenLatency]?.buckets.count == 20)
        #expect(server.latencies[.endToEndLatency]?.buckets.count == 22)
        // The older vllm:request_time_per_output_token_seconds is a different metric, never read as inter-token latency.
        #expect(server.latencies[.interTokenLatency]?.buckets.first?.upperBound == 0.01)
    }

    @Test("every exposition fixture parses and normalizes with nothing skipped")
    func everyFixture() throws {
        let folders = ["dcgm-exporter/metrics", "amd-device-metrics-exporter", "vllm"]
        var files = 0
        for folder in folders {
            for url in Fixtures.files(in: folder) where url.pathExtension == "prom" || url.lastPathComponent.hasSuffix("series.txt") {
                var parser = ExpositionParser()
                let reading = try ExpositionReading.read(Array(try Data(contentsOf: url)), parser: &parser)
                #expect(reading.parse.skippedCount == 0, "\(url.lastPathComponent)")
                #expect(!reading.normalized.devices.isEmpty || !reading.normalized.workloads.isEmpty, "\(url.lastPathComponent)")
                files += 1
            }
        }
        #expect(files == 10)
    }
}
