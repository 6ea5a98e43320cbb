import ModelPlaneCore
import Testing

@Suite("placement scenario: repacking (path B)")
struct RepackScenarioTests {
    /// a: two 30 % shares; c: one 40 % share (60 % free); e: one 50 % share. No GPU idle anywhere.
    static func fleet(migrations: Int) throws -> PlacementScenario {
        var policy = PlacementPolicy.standard
        policy.preemption = false
        policy.maxMigrationsPerPlacement = migrations
        var scenario = PlacementScenario([Build.node("a", gpus: 1), Build.node("c", gpus: 1), Build.node("e", gpus: 1)], policy: policy)
        var statement = Statement(scenario.snapshot)
        func share(_ id: String, _ percent: Int, _ node: Int, _ name: String) throws {
            try statement.allocate(
                Build.gpuRequest(id, percent: percent), at: Placement(node: name, nodeIndex: node, gpus: [0], mpsSharePercent: Double(percent)))
        }
        try share("s1", 30, 0, "a")
        try share("s2", 30, 0, "a")
        try share("s3", 40, 1, "c")
        try share("s4", 50, 2, "e")
        scenario.snapshot = statement.commit()
        return scenario
    }

    @Test("the plan with the fewest migrations wins, and every moved workload lands")
    func fewestMigrations() throws {
        var scenario = try Self.fleet(migrations: 2)
        // c needs one move (s3 40 % → a, which has 40 % free); a would need two.
        let decisions = try scenario.run([(Build.gpuRequest("whole"), .repacked("c", migrations: 1))])
        guard case .repacked(let moves) = decisions[0].outcome else { return }
        #expect(moves.map(\.workload) == ["s3"])
        #expect(moves.first?.to.node == "a")
        // After the commit: a holds s1, s2, s3 (100 %), c the whole GPU.
        #expect(scenario.snapshot.nodes[0].gpus[0].mpsClients.map(\.workload) == ["s1", "s2", "s3"])
        #expect(scenario.snapshot.nodes[1].workloads.map(\.id) == ["whole"])
    }

    @Test("no plan when a moved workload cannot land; no repacking at all with no migrations allowed")
    func noPlan() throws {
        var none = try Self.fleet(migrations: 0)
        try none.run([(Build.gpuRequest("whole"), .queued)])
        var full = try Self.fleet(migrations: 2)
        full.snapshot.nodes.remove(at: 1)  // without c: a (30 % + 30 %) and e (50 %)
        // On e, s4 (50 %) finds no 50 % elsewhere (a has 40 %); on a, s1 lands on e (50 % → 20 %) but s2 does not.
        let before = full.snapshot
        try full.run([(Build.gpuRequest("whole"), .queued)])
        #expect(full.snapshot == before)
    }
}
