import ModelPlaneCore
import Testing

/// Each filter and score plugin alone, as tables with the arithmetic in comments.
@Suite("placement plugins")
struct PlacementPluginTests {
    static var context: PlacementContext { PlacementContext(snapshot: FleetSnapshot(nodes: [])) }

    static func scoreOf(
        _ plugin: any ScorePlugin, _ request: PlacementRequest, _ node: PlacementNode, gpus: [Int] = [0], reconfigure: Bool = false,
        context: PlacementContext = context
    ) -> Int {
        plugin.score(request, node, GPUChoice(gpus: gpus, needsMPSReconfiguration: reconfigure), context, explain: true).normalized
    }

    // MARK: fragmentation

    /// One task shape: a whole GPU, popularity 1. A GPU with less than 1000 free is stranded for it.
    static let wholeGPUShape = TaskShapeDistribution(shapes: [.init(cpuMilli: 0, gpuMilli: 1_000, gpuCount: 1, popularity: 1)])

    @Test(
        "fragmentation: ⌊100·σ(−Δ/1000)⌋ of the growth against the task shapes",
        arguments: [
            // free [1000, 1000], 810 on GPU 0 → [190, 1000]: 190 stranded; Δ = +190; σ(−0.19) = 0.4526 → 45
            ([1_000, 1_000], 810, 45),
            // free [190, 1000], 160 on GPU 0 → [30, 1000]: Δ = 30 − 190 = −160; σ(0.16) = 0.5399 → 53
            ([190, 1_000], 160, 53),
            // a whole GPU on [1000, 1000] → [0, 1000]: nothing stranded before or after; Δ = 0 → 50
            ([1_000, 1_000], 1_000, 50),
        ])
    func fragmentation(free: [Int], milli: Int, expected: Int) {
        var node = Build.node("n", gpus: free.count)
        for index in free.indices {
            node.gpus[index].freeMilli = free[index]
            node.gpus[index].sharing = free[index] < 1_000 ? .mps : .whole
        }
        let context = PlacementContext(snapshot: FleetSnapshot(nodes: [node], shapes: Self.wholeGPUShape))
        let request = Build.gpuRequest("r", percent: milli / 10)
        #expect(Self.scoreOf(FragmentationScore(), request, node, context: context) == expected)
    }

    @Test("fragmentation measure: a CPU-only shape strands every free GPU; a shape the CPU cannot hold strands them too")
    func measure() {
        let shapes = TaskShapeDistribution(shapes: [
            .init(cpuMilli: 0, gpuMilli: 0, gpuCount: 0, popularity: 0.25),  // CPU-only: 0.25 × 1190 = 297.5
            // Runs here (8000m ≤ 16000m CPU), but the 190 GPU is too small for it: 0.75 × 190 = 142.5.
            .init(cpuMilli: 8_000, gpuMilli: 500, gpuCount: 1, popularity: 0.75),
        ])
        #expect(Fragmentation.of(cpuFreeMilli: 16_000, freeMilli: [190, 1_000], gpuType: nil, shapes) == 440)
        // With 4000m CPU free the GPU shape cannot run at all: 0.25 × 1190 + 0.75 × 1190 = 1190.
        #expect(Fragmentation.of(cpuFreeMilli: 4_000, freeMilli: [190, 1_000], gpuType: nil, shapes) == 1_190)
    }

    @Test("task shapes from requests: the most popular covering 95 %, renormalized")
    func shapes() {
        let requests =
            Array(repeating: Build.gpuRequest("w"), count: 6) + Array(repeating: Build.gpuRequest("s", percent: 50), count: 3) + [
                Build.gpuRequest("rare", gpus: 8)
            ]
        let distribution = TaskShapeDistribution(requests: requests, coverage: 0.9)
        // 6 + 3 = 9 of 10 reach 90 %: the 8-GPU shape is left out; popularity 6/9 and 3/9.
        #expect(distribution.shapes.map(\.gpuCount) == [1, 1])
        #expect(distribution.shapes.map(\.popularity) == [6.0 / 9, 3.0 / 9])
    }

    // MARK: preference scores

    @Test("efficiency: TFLOP/s per watt against the fleet's best")
    func efficiency() {
        var slow = Build.node("slow")
        slow.tflopsPerWatt = 1.4
        var fast = Build.node("fast")
        fast.tflopsPerWatt = 2.0
        let context = PlacementContext(snapshot: FleetSnapshot(nodes: [slow, fast]))
        #expect(Self.scoreOf(EfficiencyScore(), Build.gpuRequest("r"), slow, context: context) == 70)  // 1.4 / 2.0
        #expect(Self.scoreOf(EfficiencyScore(), Build.gpuRequest("r"), fast, context: context) == 100)
        #expect(Self.scoreOf(EfficiencyScore(), Build.gpuRequest("r"), Build.node("unknown"), context: context) == 50)
    }

    @Test("GPU-type affinity: preference rank 1, 2, … scores 100, 80, …; unpreferred 0; no preference 50")
    func affinity() {
        var request = Build.gpuRequest("r")
        request.preferredGPUTypes = ["h100-sxm", "a100-sxm-80gb"]
        #expect(Self.scoreOf(GPUTypeAffinityScore(), request, Build.node("h", type: "h100-sxm")) == 100)
        #expect(Self.scoreOf(GPUTypeAffinityScore(), request, Build.node("a", type: "a100-sxm-80gb")) == 80)
        #expect(Self.scoreOf(GPUTypeAffinityScore(), request, Build.node("l", type: "l40s")) == 0)
        #expect(Self.scoreOf(GPUTypeAffinityScore(), Build.gpuRequest("r"), Build.node("l", type: "l40s")) == 50)
    }

    @Test("utilization headroom: 100 × (1 − mean SM activity of the chosen GPUs)")
    func utilization() {
        var node = Build.node("n", gpus: 2)
        node.gpus[0].smActivity = 0.2
        node.gpus[1].smActivity = 0.3
        #expect(Self.scoreOf(UtilizationHeadroomScore(), Build.gpuRequest("r", gpus: 2), node, gpus: [0, 1]) == 75)  // mean 0.25
        #expect(Self.scoreOf(UtilizationHeadroomScore(), Build.gpuRequest("r"), Build.node("blind")) == 50)
    }

    @Test("power headroom: (budget − draw − TDP × GPUs) / budget")
    func power() {
        var node = Build.node("n", rack: "r1")
        node.tdpWatts = 700
        let context = PlacementContext(snapshot: FleetSnapshot(nodes: [node], racks: ["r1": RackPower(budgetWatts: 10_000, drawWatts: 6_000)]))
        // 10,000 − 6,000 − 2 × 700 = 2,600 W left → 26
        #expect(Self.scoreOf(PowerHeadroomScore(), Build.gpuRequest("r", gpus: 2), node, gpus: [0, 1], context: context) == 26)
        // half a GPU: 10,000 − 6,000 − 350 = 3,650 → 36.5 → 37 (rounded)
        #expect(Self.scoreOf(PowerHeadroomScore(), Build.gpuRequest("r", percent: 50), node, context: context) == 37)
    }

    @Test("MPS compatibility: own tenant's daemon 100, shared daemon 70, idle GPU 50, reconfiguration 10")
    func mpsCompatibility() {
        var node = Build.node("n", gpus: 3)
        node.gpus[0].sharing = .mps
        node.gpus[0].mpsClients = [MPSClient(workload: "w", milli: 300, memoryLimitBytes: 0, tenant: "default")]
        node.gpus[1].sharing = .mps
        node.gpus[1].mpsClients = [MPSClient(workload: "v", milli: 300, memoryLimitBytes: 0, tenant: "other")]
        let share = Build.gpuRequest("r", percent: 30)
        #expect(Self.scoreOf(MPSCompatibilityScore(), share, node, gpus: [0]) == 100)
        #expect(Self.scoreOf(MPSCompatibilityScore(), share, node, gpus: [1]) == 70)
        #expect(Self.scoreOf(MPSCompatibilityScore(), share, node, gpus: [2]) == 50)
        #expect(Self.scoreOf(MPSCompatibilityScore(), share, node, gpus: [2], reconfigure: true) == 10)
        #expect(Self.scoreOf(MPSCompatibilityScore(), Build.gpuRequest("whole"), node, gpus: [2]) == 50)
    }

    @Test("data locality: the node 100, its rack 75, its zone 50, elsewhere 0")
    func locality() {
        let node = Build.node("n1", rack: "r1", zone: "z1")
        func score(_ places: [String]) -> Int {
            var request = Build.gpuRequest("r")
            request.dataLocality = places
            return Self.scoreOf(DataLocalityScore(), request, node)
        }
        #expect(score(["n1"]) == 100)
        #expect(score(["r1"]) == 75)
        #expect(score(["z1"]) == 50)
        #expect(score(["z9"]) == 0)
        #expect(score([]) == 50)
    }

    @Test("topology: one NVLink domain 100, one NUMA node 60, spread 20")
    func topology() {
        let node = Build.node("n", nvlink: 4, numa: 2)
        let request = Build.gpuRequest("r", gpus: 2)
        #expect(Self.scoreOf(TopologyScore(), request, node, gpus: [0, 1]) == 100)
        var pcie = Build.node("p", numa: 2)
        #expect(Self.scoreOf(TopologyScore(), request, pcie, gpus: [0, 1]) == 60)
        #expect(Self.scoreOf(TopologyScore(), request, pcie, gpus: [1, 2]) == 20)
        pcie.gpus[0].numaNode = nil
        #expect(Self.scoreOf(TopologyScore(), request, pcie, gpus: [0, 1]) == 20)
    }

    @Test("consolidation: a node in use 100, an idle one 0")
    func consolidation() throws {
        var statement = Statement(FleetSnapshot(nodes: [Build.node("n")]))
        #expect(Self.scoreOf(ConsolidationScore(), Build.gpuRequest("r"), statement.snapshot.nodes[0]) == 0)
        try statement.allocate(Build.gpuRequest("cpu", gpus: 0, percent: 0), at: Placement(node: "n", nodeIndex: 0, gpus: []))
        #expect(Self.scoreOf(ConsolidationScore(), Build.gpuRequest("r"), statement.snapshot.nodes[0]) == 100)
    }

    // MARK: filters

    @Test("node filters: health, GPU type and count, CPU and memory, anti-affinity")
    func nodeFilters() throws {
        var cordoned = Build.node("c")
        cordoned.cordoned = true
        #expect(NodeHealthFilter().check(Build.gpuRequest("r"), cordoned, explain: true) == .fail("node is cordoned", resolvable: false))
        var typed = Build.gpuRequest("r")
        typed.gpuTypes = ["l40s"]
        #expect(GPUTypeFilter().check(typed, Build.node("n"), explain: true) == .fail("GPU type h100-sxm is not one of l40s", resolvable: false))
        #expect(GPUTypeFilter().check(Build.gpuRequest("r", gpus: 0, percent: 0), Build.node("cpu", type: nil, gpus: 0), explain: true) == .pass)
        var busy = Build.node("b", cpu: 8_000)
        busy.cpuFreeMilli = 2_000
        // 4000m asked, 2000m free of 8000m: short 2000m, resolvable (the capacity is there)
        #expect(
            CPUMemoryFilter().check(Build.gpuRequest("r", cpu: 4_000), busy, explain: true)
                == .fail("CPU: 4000m asked, 2000m free of 8000m (short 2000m)", resolvable: true))
        #expect(CPUMemoryFilter().check(Build.gpuRequest("r", cpu: 9_000), busy, explain: false) == .fail("", resolvable: false))
        var statement = Statement(FleetSnapshot(nodes: [Build.node("n")]))
        var replica = Build.gpuRequest("replica-1")
        replica.replicaGroup = "llm"
        try statement.allocate(replica, at: Placement(node: "n", nodeIndex: 0, gpus: [0]))
        replica.id = "replica-2"
        #expect(
            AntiAffinityFilter().check(replica, statement.snapshot.nodes[0], explain: true)
                == .fail("replica replica-1 of group llm already runs here", resolvable: false))
        // The node's 64-bit summary of groups only short-cuts the check: "model-a" and "model-21" share bit 28
        // (FNV-1a mod 64), and the workloads still decide.
        #expect(ReplicaGroups.bit("model-a") == ReplicaGroups.bit("model-21"))
        #expect(ReplicaGroups.bit("model-a") == 1 << 28)
        #expect(ReplicaGroups.bit(nil) == 0)
        var other = Build.gpuRequest("other-1")
        other.replicaGroup = "model-a"
        try statement.allocate(other, at: Placement(node: "n", nodeIndex: 0, gpus: [1]))
        var colliding = Build.gpuRequest("colliding")
        colliding.replicaGroup = "model-21"
        #expect(statement.snapshot.nodes[0].replicaGroupBits & colliding.replicaGroupBit != 0)
        #expect(AntiAffinityFilter().check(colliding, statement.snapshot.nodes[0], explain: true) == .pass)
        colliding.replicaGroup = "model-a"
        #expect(AntiAffinityFilter().check(colliding, statement.snapshot.nodes[0], explain: false) == .fail("", resolvable: false))
        // After the replica leaves, the summary forgets its group.
        _ = try statement.evict("other-1", fromNode: 0)
        #expect(statement.snapshot.nodes[0].replicaGroupBits & colliding.replicaGroupBit == 0)
    }

    @Test("GPU filters: share, memory, MIG, health")
    func gpuFilters() {
        let context = Self.context
        var node = Build.node("n", gpus: 2, memoryGiB: 24)
        node.gpus[0].sharing = .mps
        node.gpus[0].freeMilli = 300
        node.gpus[0].freeMemoryBytes = 10 * Build.gib
        node.gpus[1].healthy = false
        let share = Build.gpuRequest("r", percent: 40)
        #expect(
            GPUShareFilter().check(share, node.gpus[0], on: node, context, explain: true)
                == .fail("GPU 0: 40 % asked, 30 % free (short 10 %)", resolvable: true))
        #expect(GPUShareFilter().check(Build.gpuRequest("r", percent: 30), node.gpus[0], on: node, context, explain: true) == .pass)
        #expect(
            GPUShareFilter().check(Build.gpuRequest("w"), node.gpus[0], on: node, context, explain: true)
                == .fail("GPU 0 is in use (70 % taken); a whole GPU asked", resolvable: true))
        var model = share
        model.gpuMemoryBytes = 12 * Build.gib
        #expect(
            GPUMemoryFilter().check(model, node.gpus[0], on: node, context, explain: true)
                == .fail("GPU 0: 12 GiB needed, 10 GiB free (short 2 GiB)", resolvable: true))
        model.gpuMemoryBytes = 30 * Build.gib
        #expect(
            GPUMemoryFilter().check(model, node.gpus[0], on: node, context, explain: true)
                == .fail("GPU 0 has 24 GiB; the model needs 30 GiB (short 6 GiB)", resolvable: false))
        #expect(GPUHealthFilter().check(share, node.gpus[1], on: node, context, explain: true) == .fail("GPU 1 is unhealthy", resolvable: false))
        let mig = PlacementRequest(id: "m", gpuCount: 1, gpuMilli: 143, sharing: .mig, migProfile: "1g.10gb")
        #expect(
            MIGAvailabilityFilter().check(mig, node.gpus[0], on: node, context, explain: true)
                == .fail("GPU 0 is not MIG-partitioned; 1g.10gb asked", resolvable: false))
    }
}
