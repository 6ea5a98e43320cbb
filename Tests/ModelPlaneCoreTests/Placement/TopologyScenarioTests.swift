import ModelPlaneCore
import Testing

@Suite("placement scenario: multi-GPU topology")
struct TopologyScenarioTests {
    /// Node x is in use with one GPU taken in each NVLink domain of 4 (3 + 3 free); node y is idle.
    static func fleet() throws -> PlacementScenario {
        var scenario = PlacementScenario([Build.node("x", nvlink: 4, numa: 4), Build.node("y", nvlink: 4, numa: 4)])
        var statement = Statement(scenario.snapshot)
        try statement.allocate(Build.gpuRequest("held-0"), at: Placement(node: "x", nodeIndex: 0, gpus: [0]))
        try statement.allocate(Build.gpuRequest("held-4"), at: Placement(node: "x", nodeIndex: 0, gpus: [4]))
        scenario.snapshot = statement.commit()
        return scenario
    }

    @Test("topology outranks packing: four GPUs in one NVLink domain on an idle node, not split on a used one")
    func topologyDominates() throws {
        var scenario = try Self.fleet()
        let decisions = try scenario.run([(Build.gpuRequest("job", gpus: 4), .node("y", gpus: [0, 1, 2, 3]))])
        let winner = try #require(decisions[0].trace.nodes.first { $0.winner })
        // Topology tier: 100 (one domain) on y against 20 on x (spread over domains and NUMA nodes).
        #expect(winner.tierTotals.first == 100)
        #expect(decisions[0].trace.nodes.first { $0.node == "x" }?.tierTotals.first == 20)
    }

    @Test("without the topology tier, consolidation would split the job on the used node")
    func packingWithoutTopology() throws {
        var scenario = try Self.fleet()
        scenario.policy = try PlacementPolicy.standard.settingWeight("topology", to: 0)
        try scenario.run([(Build.gpuRequest("job", gpus: 4), .node("x", gpus: [1, 2, 3, 5]))])
    }

    @Test("nvlink-required: a node without a domain that fits is refused, with the shortfall")
    func nvlinkRequired() throws {
        var scenario = try Self.fleet()
        scenario.snapshot.nodes.removeLast()
        var job = Build.gpuRequest("job", gpus: 4)
        job.topology = .nvlinkRequired
        try scenario.run([(job, .queued)])
        let decision = PlacementEngine(snapshot: scenario.snapshot).place(job, in: scenario.snapshot)
        #expect(decision.reasons.contains { $0.contains("no NVLink domain has 4 free GPUs (largest: 3, short 1)") }, "\(decision.reasons)")
    }
}
