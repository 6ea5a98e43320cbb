// modelplane-bench-placement: release-mode decision latency of ModelPlane's placement engine (issue 5). Prints
// figures; asserts nothing.
//
//   modelplane-bench-placement trace NODES_CSV PODS_CSV [--seed 42] [--by-decile]
//       The ATC'23 arrival sequence of one seed on the 1,213-node trace cluster, every task placed by
//       PlacementEngine (PlacementPolicy.standard) and applied: p50, p99 and max per decision, decisions per second
//       (--by-decile: p50 and p99 for each tenth of the sequence, as the cluster fills).
//   modelplane-bench-placement fleet [--nodes 12500] [--placements 20000] [--seed 1]
//       A synthetic fleet of NODES 8-GPU nodes (H100 and A100 in NVLink domains of 8, L40S in pairs over PCIe,
//       racks of 16 with power budgets) filled to about 80 % by requests drawn from the trace's shapes and a mix of
//       model-aware shares, then PLACEMENTS more decisions timed (each applied, a departure every other one).

import ModelPlaneCore
import ModelPlaneTwin

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

func wallSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func option(_ name: String, _ fallback: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]) else { return fallback }
    return value
}

func readText(_ path: String) -> String? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    fseek(file, 0, SEEK_END)
    let size = ftell(file)
    fseek(file, 0, SEEK_SET)
    var bytes = [UInt8](repeating: 0, count: size)
    let read = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, file) }
    return read == size ? String(decoding: bytes, as: UTF8.self) : nil
}

func report(_ label: String, _ latencies: [Double], placed: Int) {
    let sorted = latencies.sorted()
    func quantile(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.down)))] }
    func micro(_ seconds: Double) -> String { "\(Int((seconds * 1e6).rounded())) µs" }
    let total = latencies.reduce(0, +)
    print("\(label): \(latencies.count) decisions (\(placed) placed)")
    print("  p50 \(micro(quantile(0.5)))  p99 \(micro(quantile(0.99)))  max \(micro(sorted.last ?? 0))")
    print("  \(Int((Double(latencies.count) / total).rounded())) decisions per second (mean \(micro(total / Double(latencies.count))))")
}

/// A tiny deterministic generator (SplitMix64) for the synthetic fleet.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

func traceBenchmark(nodesPath: String, podsPath: String, seed: Int64) {
    guard let nodeText = readText(nodesPath), let podText = readText(podsPath) else {
        print("cannot read \(nodesPath) or \(podsPath)")
        exit(1)
    }
    do {
        let nodes = try OpenBTrace.nodes(csv: nodeText, source: nodesPath)
        let pods = try OpenBTrace.pods(csv: podText, source: podsPath)
        let experiment = ArrivalExperiment(nodes: nodes, pods: pods, inflation: 1.3)
        let sequence = experiment.sequence(seed: seed)
        var snapshot = PlacementArrivals.snapshot(nodes, experiment.workload)
        var policy = PlacementPolicy.standard
        policy.preemption = false
        let engine = PlacementEngine(policy: policy, snapshot: snapshot)
        var latencies: [Double] = []
        latencies.reserveCapacity(sequence.tasks.count)
        var placed = 0
        for (position, task) in sequence.tasks.enumerated() {
            let request = PlacementArrivals.request(task, id: "\(position)")
            let start = wallSeconds()
            let decision = engine.place(request, in: snapshot)
            latencies.append(wallSeconds() - start)
            if let placement = decision.placement {
                var statement = Statement(consume snapshot)
                defer { snapshot = statement.commit() }
                try statement.allocate(request, at: placement)
                placed += 1
            }
        }
        if CommandLine.arguments.contains("--by-decile") {
            for decile in 0..<10 {
                let part = Array(latencies[decile * latencies.count / 10..<(decile + 1) * latencies.count / 10]).sorted()
                print("  decile \(decile): p50 \(Int(part[part.count / 2] * 1e6)) µs, p99 \(Int(part[part.count * 99 / 100] * 1e6)) µs")
            }
        }
        report("trace cluster, \(nodes.count) nodes, \(nodes.reduce(0) { $0 + $1.gpuCount }) GPUs, seed \(seed)", latencies, placed: placed)
    } catch {
        print("\(error)")
        exit(1)
    }
}

func fleetBenchmark(nodeCount: Int, placements: Int, seed: UInt64) {
    var random = SplitMix(state: seed)
    let catalog = HardwareCatalog.builtin
    let types: [(id: String, share: Int, nvlink: Bool)] = [("h100-sxm", 50, true), ("a100-sxm-80gb", 30, true), ("l40s", 20, false)]
    var nodes: [PlacementNode] = []
    var racks: [String: RackPower] = [:]
    for index in 0..<nodeCount {
        let pick = random.below(100)
        let type = pick < 50 ? types[0] : pick < 80 ? types[1] : types[2]
        let model = catalog.lookup(type.id)
        let memory = model?.memoryBytes ?? 80 * gibibyte
        let tdp = model?.tdpWatts ?? 700
        let peak = model?.peakFLOPS[.bf16] ?? 1e15
        let gpus = (0..<8).map { gpu in
            PlacementGPU(index: gpu, memoryBytes: memory, nvlinkDomain: type.nvlink ? 0 : gpu / 2, numaNode: gpu / 4)
        }
        let rack = "rack-\(index / 16)"
        racks[rack, default: RackPower(budgetWatts: 16 * 8 * tdp * 1.1, drawWatts: 0)].drawWatts += 8 * tdp * 0.3
        nodes.append(
            PlacementNode(
                name: "node-\(index)", gpuType: type.id, gpus: gpus, cpuCapacityMilli: 192_000, memoryCapacityBytes: 2_048 * gibibyte,
                rack: rack, zone: "zone-\(index % 3)", tflopsPerWatt: peak / 1e12 / tdp, tdpWatts: tdp))
    }
    // Requests: the trace's mix of shapes (whole GPUs, shares, 2/4/8-GPU jobs, CPU-only), some with model-aware
    // memory, preferences and anti-affinity.
    func request(_ id: Int) -> PlacementRequest {
        let pick = random.below(100)
        var request: PlacementRequest
        switch pick {
        case 0..<45: request = PlacementRequest(id: "r\(id)", gpuCount: 1, gpuMilli: 1_000, cpuMilli: 8_000, memoryBytes: 32 * gibibyte)
        case 45..<75:
            let shares = [200, 400, 600, 800]
            request = PlacementRequest(
                id: "r\(id)", gpuCount: 1, gpuMilli: shares[random.below(4)], gpuMemoryBytes: Double(8 + random.below(24)) * gibibyte, sharing: .mps,
                cpuMilli: 4_000, memoryBytes: 16 * gibibyte)
        case 75..<85: request = PlacementRequest(id: "r\(id)", gpuCount: 0, gpuMilli: 0, cpuMilli: 16_000, memoryBytes: 64 * gibibyte)
        case 85..<93: request = PlacementRequest(id: "r\(id)", gpuCount: 2, cpuMilli: 16_000, memoryBytes: 64 * gibibyte)
        case 93..<98: request = PlacementRequest(id: "r\(id)", gpuCount: 4, cpuMilli: 32_000, memoryBytes: 128 * gibibyte)
        default: request = PlacementRequest(id: "r\(id)", gpuCount: 8, cpuMilli: 64_000, memoryBytes: 256 * gibibyte, topology: .nvlinkRequired)
        }
        if random.below(4) == 0 { request.preferredGPUTypes = ["h100-sxm"] }
        if random.below(10) == 0 { request.replicaGroup = "model-\(random.below(200))" }
        if random.below(10) == 0 { request.dataLocality = ["zone-\(random.below(3))"] }
        return request
    }
    let warm = (0..<4_000).map(request)
    var snapshot = FleetSnapshot(nodes: nodes, shapes: TaskShapeDistribution(requests: warm), racks: racks)
    var policy = PlacementPolicy.standard
    policy.preemption = false
    let engine = PlacementEngine(policy: policy, snapshot: snapshot)
    // Fill to about 80 % of the GPUs without the engine (first fit node by node), so the timed decisions start
    // from a fleet in use: shares, whole GPUs and multi-GPU jobs mixed on most nodes.
    let capacity = nodeCount * 8 * 1_000
    var allocated = 0
    var running: [(PlacementRequest, Int)] = []
    var id = 0
    var cursor = 0
    let fillStart = wallSeconds()
    var statement = Statement(snapshot)
    while allocated < capacity * 8 / 10 {
        let next = request(id)
        id += 1
        guard !next.isCPUOnly else { continue }
        for attempt in 0..<8 {
            let index = (cursor + attempt) % nodeCount
            let node = statement.snapshot.nodes[index]
            var gpus: [Int] = []
            if next.isFractional {
                if let gpu = node.gpus.first(where: { $0.freeMilli >= next.gpuMilli && ($0.sharing == .mps || $0.isIdle) }) { gpus = [gpu.index] }
            } else {
                gpus = Array(node.gpus.filter(\.isIdle).prefix(next.gpuCount).map(\.index))
                if gpus.count < next.gpuCount { gpus = [] }
            }
            guard !gpus.isEmpty, next.cpuMilli <= node.cpuFreeMilli else { continue }
            let placement = Placement(
                node: node.name, nodeIndex: index, gpus: gpus, mpsSharePercent: next.isFractional ? Double(next.gpuMilli) / 10 : nil,
                mpsMemoryLimitBytes: next.gpuMemoryBytes)
            guard (try? statement.allocate(next, at: placement)) != nil else { continue }
            allocated += next.totalGPUMilli
            running.append((next, index))
            break
        }
        cursor = (cursor + 1) % nodeCount
    }
    snapshot = statement.commit()
    print(
        "filled \(nodeCount) nodes (\(nodeCount * 8) GPUs) to \(allocated * 100 / capacity) % with \(running.count) workloads in \(Int(wallSeconds() - fillStart)) s"
    )
    var latencies: [Double] = []
    var placed = 0
    for step in 0..<placements {
        let next = request(id)
        id += 1
        let start = wallSeconds()
        let decision = engine.place(next, in: snapshot)
        latencies.append(wallSeconds() - start)
        if let placement = decision.placement {
            var statement = Statement(consume snapshot)
            defer { snapshot = statement.commit() }
            if (try? statement.allocate(next, at: placement)) != nil {
                running.append((next, placement.nodeIndex))
                placed += 1
            }
        }
        if step % 2 == 1, !running.isEmpty {  // a departure keeps the fleet near its fill level
            // Swap-remove: removing from the middle would move ~20 MB of requests per departure and evict every
            // cache between two timed decisions, which no scheduler's own bookkeeping does.
            let position = random.below(running.count)
            running.swapAt(position, running.count - 1)
            let leaving = running.removeLast()
            var statement = Statement(consume snapshot)
            _ = try? statement.evict(leaving.0.id, fromNode: leaving.1)
            snapshot = statement.commit()
        }
    }
    report("synthetic fleet, \(nodeCount) nodes, \(nodeCount * 8) GPUs", latencies, placed: placed)
}

let arguments = CommandLine.arguments
switch arguments.count > 1 ? arguments[1] : "" {
case "trace" where arguments.count >= 4:
    traceBenchmark(nodesPath: arguments[2], podsPath: arguments[3], seed: Int64(option("--seed", 42)))
case "fleet":
    fleetBenchmark(nodeCount: option("--nodes", 12_500), placements: option("--placements", 20_000), seed: UInt64(option("--seed", 1)))
default:
    print("usage: modelplane-bench-placement trace NODES_CSV PODS_CSV [--seed 42] | fleet [--nodes 12500] [--placements 20000] [--seed 1]")
    exit(2)
}
