// modelplane-bench: release-mode benchmarks for the telemetry path (issue 3). Prints figures; asserts nothing.
//
//   modelplane-bench parse FILE [--runs N]
//       Parse and normalize an exposition body (streaming, nothing retained per sample), best of N runs:
//       MB/s, samples/s, peak RSS and its ratio to the body.
//   modelplane-bench fleet [--endpoints 1250] [--gpus 8] [--series 60] [--minutes 60] [--interval 15]
//       A simulated fleet of dcgm-exporter endpoints scraped every --interval seconds of virtual time for
//       --minutes: per cycle, parse + normalize + update the rolling windows of every endpoint on one core.
//       Prints CPU seconds per cycle and resident bytes per series after the run.

import ModelPlaneTelemetry

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: measurement helpers

func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func wallSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// A field of /proc/self/status in bytes (VmRSS, VmHWM).
func procStatus(_ field: String) -> Int {
    guard let file = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, 256, file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix(field + ":") {
            let digits = text.filter(\.isNumber)
            return (Int(digits) ?? 0) * 1024
        }
    }
    return 0
}

func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    fseek(file, 0, SEEK_END)
    let size = ftell(file)
    fseek(file, 0, SEEK_SET)
    var bytes = [UInt8](repeating: 0, count: size)
    let read = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, file) }
    return read == size ? bytes : nil
}

func option(_ name: String, _ fallback: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]), value > 0 else {
        return fallback
    }
    return value
}

func fixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int64((value * scale).rounded())
    let whole = scaled / Int64(scale)
    var fraction = String(abs(scaled % Int64(scale)))
    while fraction.count < digits { fraction = "0" + fraction }
    return digits == 0 ? String(whole) : "\(whole).\(fraction)"
}

// MARK: parse

func parseBenchmark(_ path: String) {
    guard let body = readFile(path) else {
        print("modelplane-bench: cannot read \(path)")
        exit(1)
    }
    let runs = option("--runs", 3)
    let residentWithBody = procStatus("VmRSS")
    var best = Double.infinity
    var samples = 0
    var devices = 0
    for _ in 0..<runs {
        var parser = ExpositionParser()
        let start = wallSeconds()
        let reading = body.withUnsafeBufferPointer { buffer in try? ExpositionReading.read(buffer, parser: &parser) }
        let elapsed = wallSeconds() - start
        best = min(best, elapsed)
        samples = reading?.parse.sampleCount ?? 0
        devices = reading?.normalized.devices.count ?? 0
    }
    let peak = procStatus("VmHWM")
    let megabytes = Double(body.count) / 1e6
    print("parse+normalize \(path)")
    print("  body            \(fixed(megabytes, 1)) MB, \(samples) samples → \(devices) devices")
    print(
        "  best of \(runs)       \(fixed(best, 3)) s: \(fixed(megabytes / best, 1)) MB/s, \(fixed(Double(samples) / best / 1e6, 2)) M samples/s (one core)"
    )
    print(
        "  peak RSS        \(fixed(Double(peak) / 1e6, 1)) MB = \(fixed(Double(peak) / Double(body.count), 2)) × the body (the body itself included)")
    print(
        "                  \(fixed(Double(residentWithBody) / 1e6, 1)) MB resident with the body read, before parsing; the parse added \(fixed(Double(peak - residentWithBody) / 1e6, 1)) MB"
    )
}

// MARK: fleet

/// The 60 numeric dcgm-exporter fields of a fully enabled H100 (default, DCP and NVLink counters), with a value
/// generator each: name, decimals, and a value for (gpu, cycle).
let fleetFields: [(name: String, decimals: Int, value: (Int, Int) -> Double)] = {
    var fields: [(String, Int, (Int, Int) -> Double)] = [
        ("DCGM_FI_DEV_SM_CLOCK", 0, { g, c in Double(1_500 + (g * 37 + c * 11) % 480) }),
        ("DCGM_FI_DEV_MEM_CLOCK", 0, { _, _ in 2_619 }),
        ("DCGM_FI_DEV_MEMORY_TEMP", 0, { g, c in Double(40 + (g + c) % 20) }),
        ("DCGM_FI_DEV_GPU_TEMP", 0, { g, c in Double(35 + (g * 3 + c) % 40) }),
        ("DCGM_FI_DEV_POWER_USAGE", 3, { g, c in 60 + Double((g * 7919 + c * 104_729) % 640_000) / 1000 }),
        ("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", 0, { g, c in Double(1_000_000_000 + g * 1_000_000 + c * 6_000_000) }),
        ("DCGM_FI_DEV_PCIE_REPLAY_COUNTER", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_GPU_UTIL", 0, { g, c in Double((g * 13 + c * 7) % 101) }),
        ("DCGM_FI_DEV_MEM_COPY_UTIL", 0, { g, c in Double((g * 5 + c * 3) % 101) }),
        ("DCGM_FI_DEV_ENC_UTIL", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_DEC_UTIL", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_XID_ERRORS", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_FB_FREE", 0, { g, c in Double(81_559 - (g * 977 + c * 31) % 80_000) }),
        ("DCGM_FI_DEV_FB_USED", 0, { g, c in Double((g * 977 + c * 31) % 80_000) }),
        ("DCGM_FI_DEV_FB_RESERVED", 0, { _, _ in 530 }),
        ("DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", 0, { g, c in Double(g * 1_000 + c * 5_000) }),
        ("DCGM_FI_DEV_VGPU_LICENSE_STATUS", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_ROW_REMAP_FAILURE", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_ECC_SBE_AGG_TOTAL", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_ECC_DBE_AGG_TOTAL", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_RETIRED_SBE", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_RETIRED_DBE", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_RETIRED_PENDING", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_POWER_VIOLATION", 0, { _, c in Double(c * 10) }),
        ("DCGM_FI_DEV_THERMAL_VIOLATION", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_SYNC_BOOST_VIOLATION", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_BOARD_LIMIT_VIOLATION", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_LOW_UTIL_VIOLATION", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_RELIABILITY_VIOLATION", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL", 0, { _, _ in 0 }),
        ("DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL", 0, { _, _ in 0 }),
        ("DCGM_FI_PROF_GR_ENGINE_ACTIVE", 6, { g, c in Double((g * 101 + c * 37) % 1000) / 1000 }),
        ("DCGM_FI_PROF_SM_ACTIVE", 6, { g, c in Double((g * 103 + c * 41) % 1000) / 1000 }),
        ("DCGM_FI_PROF_SM_OCCUPANCY", 6, { g, c in Double((g * 107 + c * 43) % 1000) / 1000 }),
        ("DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", 6, { g, c in Double((g * 109 + c * 47) % 1000) / 1000 }),
        ("DCGM_FI_PROF_DRAM_ACTIVE", 6, { g, c in Double((g * 113 + c * 53) % 1000) / 1000 }),
        ("DCGM_FI_PROF_PIPE_FP64_ACTIVE", 6, { _, _ in 0 }),
        ("DCGM_FI_PROF_PIPE_FP32_ACTIVE", 6, { g, c in Double((g * 127 + c * 59) % 1000) / 10_000 }),
        ("DCGM_FI_PROF_PIPE_FP16_ACTIVE", 6, { g, c in Double((g * 131 + c * 61) % 1000) / 10_000 }),
        ("DCGM_FI_PROF_PCIE_TX_BYTES", 0, { g, c in Double(100_000 + (g * 7_919 + c * 104_729) % 90_000_000) }),
        ("DCGM_FI_PROF_PCIE_RX_BYTES", 0, { g, c in Double(100_000 + (g * 6_007 + c * 93_911) % 90_000_000) }),
        ("DCGM_FI_PROF_NVLINK_TX_BYTES", 0, { g, c in Double((g * 7_001 + c * 99_991) % 900_000_000) }),
        ("DCGM_FI_PROF_NVLINK_RX_BYTES", 0, { g, c in Double((g * 7_013 + c * 99_989) % 900_000_000) }),
    ]
    for link in 0..<11 { fields.append(("DCGM_FI_DEV_NVLINK_BANDWIDTH_L\(link)", 0, { g, c in Double(g * 100 + c * 400 + link) })) }
    return fields
}()

/// One endpoint's body with fixed-width slots for the node number and the values, patched in place per cycle.
struct BodyTemplate {
    var bytes: [UInt8] = []
    var nodeSlots: [Int] = []
    var valueSlots: [(offset: Int, gpu: Int, field: Int)] = []
    static let nodeWidth = 5
    static let valueWidth = 20

    @MainActor init(gpus: Int, series: Int) {
        let fields = Array(fleetFields.prefix(series))
        func append(_ text: String) { bytes.append(contentsOf: text.utf8) }
        func nodeSlot() {
            nodeSlots.append(bytes.count)
            append(String(repeating: "0", count: Self.nodeWidth))
        }
        for (fieldIndex, field) in fields.enumerated() {
            append("# HELP \(field.name) \(field.name.lowercased()).\n# TYPE \(field.name) gauge\n")
            for gpu in 0..<gpus {
                append("\(field.name){gpu=\"\(gpu)\",UUID=\"GPU-")
                nodeSlot()
                append("-\(gpu)a1b-c2d3-e4f5-0123456789ab\",pci_bus_id=\"00000000:\(gpu + 18):00.0\",device=\"nvidia\(gpu)\",")
                append("modelName=\"NVIDIA H100 80GB HBM3\",Hostname=\"node-")
                nodeSlot()
                append("\",DCGM_FI_DRIVER_VERSION=\"580.105.08\"")
                if gpu < 6 {
                    append(",container=\"main\",namespace=\"llm\",pod=\"vllm-")
                    nodeSlot()
                    append("-\(gpu)\",pod_uid=\"\"")
                }
                append("} ")
                valueSlots.append((bytes.count, gpu, fieldIndex))
                append(String(repeating: "0", count: Self.valueWidth) + "\n")
            }
        }
    }

    /// The body of endpoint `node` in `cycle`: node number and values written into their slots (zero-padded).
    func render(node: Int, cycle: Int, into out: inout [UInt8], fields: [(name: String, decimals: Int, value: (Int, Int) -> Double)]) {
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: bytes)
        var digits = node
        var text = [UInt8](repeating: UInt8(ascii: "0"), count: Self.nodeWidth)
        for position in stride(from: Self.nodeWidth - 1, through: 0, by: -1) {
            text[position] = UInt8(ascii: "0") + UInt8(digits % 10)
            digits /= 10
        }
        for slot in nodeSlots { for index in 0..<Self.nodeWidth { out[slot + index] = text[index] } }
        for slot in valueSlots {
            let field = fields[slot.field]
            let value = field.value(slot.gpu + node * 8, cycle)
            let rendered = Array(fixed(value, field.decimals).utf8)
            let start = slot.offset + Self.valueWidth - rendered.count
            for index in 0..<rendered.count { out[start + index] = rendered[index] }
            for index in slot.offset..<start { out[index] = UInt8(ascii: "0") }
        }
    }
}

@MainActor func fleetBenchmark() {
    let endpoints = option("--endpoints", 1_250)
    let gpus = option("--gpus", 8)
    let series = min(option("--series", 60), fleetFields.count)
    let minutes = option("--minutes", 60)
    let interval = option("--interval", 15)
    let cycles = minutes * 60 / interval
    let fields = Array(fleetFields.prefix(series))
    let template = BodyTemplate(gpus: gpus, series: series)
    let totalSeries = endpoints * gpus * series
    print("fleet: \(endpoints) endpoints × \(gpus) GPUs × \(series) series = \(totalSeries) series, body \(template.bytes.count) bytes per endpoint")
    print("       \(cycles) cycles, one every \(interval) s of virtual time (\(minutes) min)")
    let baseline = procStatus("VmRSS")
    var parsers = [ExpositionParser](repeating: ExpositionParser(), count: endpoints)
    var windows = TelemetryWindows()
    var body: [UInt8] = []
    body.reserveCapacity(template.bytes.count)
    var cycleCPU: [Double] = []
    var devices = 0
    var refused = 0
    let start = 1_800_000_000_000 as Int64
    for cycle in 0..<cycles {
        let now = start + Int64(cycle * interval * 1000)
        var cpu = 0.0
        devices = 0
        for endpoint in 0..<endpoints {
            template.render(node: endpoint, cycle: cycle, into: &body, fields: fields)
            let before = threadCPUSeconds()
            let reading = body.withUnsafeBufferPointer { buffer in try? ExpositionReading.read(buffer, parser: &parsers[endpoint]) }
            if let reading {
                windows.ingest(reading.normalized, at: now)
                devices += reading.normalized.devices.count
                refused += reading.normalized.problemCount + reading.parse.skippedCount
            }
            cpu += threadCPUSeconds() - before
        }
        cycleCPU.append(cpu)
        if cycle == 0 || (cycle + 1) % max(1, cycles / 8) == 0 || cycle == cycles - 1 {
            print(
                "  cycle \(cycle + 1)/\(cycles): \(fixed(cpu, 3)) s CPU (parse + normalize + windows), \(devices) devices, RSS \(fixed(Double(procStatus("VmRSS")) / 1e6, 1)) MB"
            )
            fflush(nil)  // progress appears as it happens, also when printing into a file
        }
    }
    let sorted = cycleCPU.sorted()
    let rss = procStatus("VmRSS")
    let probe = DeviceKey(node: "node-00007", gpuIndex: 3)
    let end = start + Int64((cycles - 1) * interval * 1000)
    print("result")
    print("  CPU per cycle   median \(fixed(sorted[sorted.count / 2], 3)) s, max \(fixed(sorted.last ?? 0, 3)) s (target < 1 s on one core)")
    print(
        "  resident        \(fixed(Double(rss) / 1e6, 1)) MB total → \(fixed(Double(rss) / Double(totalSeries), 0)) B per series "
            + "(\(fixed(Double(rss - baseline) / Double(totalSeries), 0)) B above the process at start; target < 500 B)")
    print(
        "  windows         \(windows.streamCount) streams, \(fixed(Double(windows.residentBytes) / Double(windows.streamCount), 0)) B each (estimate)"
    )
    print("  refused         \(refused) lines or values (expected 0)")
    if let power = windows.summary(probe, .power, .oneHour, at: end), let energy = windows.summary(probe, .energy, .fiveMinutes, at: end) {
        print(
            "  sample          \(probe) power 1 h: mean \(fixed(power.mean, 1)) W, p95 \(fixed(power.p95, 1)) W; energy rate 5 min \(fixed(energy.mean, 1)) W"
        )
    }
}

switch CommandLine.arguments.dropFirst().first {
case "parse" where CommandLine.arguments.count >= 3: parseBenchmark(CommandLine.arguments[2])
case "fleet": fleetBenchmark()
default:
    print("usage: modelplane-bench parse FILE [--runs N] | fleet [--endpoints N] [--gpus N] [--series N] [--minutes N] [--interval S]")
    exit(2)
}
