import ModelPlaneCore
import Testing

@Suite("placement scenario: node failure")
struct NodeFailureScenarioTests {
    @Test("a failed node's workloads are placed again in priority order; what fits nowhere is stranded")
    func recovery() throws {
        var scenario = PlacementScenario([Build.node("a", gpus: 2), Build.node("b", gpus: 2)])
        try scenario.run([
            (Build.gpuRequest("x-p3", priority: .p3), .node("a", gpus: [0])),
            (Build.gpuRequest("y-p0", priority: .p0), .node("a", gpus: [1])),
            (Build.gpuRequest("z-p2", priority: .p2), .node("b", gpus: [0])),
        ])
        let engine = PlacementEngine(snapshot: scenario.snapshot)
        let recovery = try engine.recover(fromFailureOf: "a", reason: "XID 79: fell off the bus", in: scenario.snapshot)
        // The P0 goes first and takes b's idle GPU; the P3 cannot preempt the P2 and waits.
        #expect(recovery.replaced.map(\.workload) == ["y-p0"])
        #expect(recovery.replaced.first?.placement.node == "b")
        #expect(recovery.stranded.map(\.workload) == ["x-p3"])
        #expect(recovery.snapshot.nodes[0].unhealthyReason == "XID 79: fell off the bus")
        #expect(recovery.snapshot.nodes[0].workloads.isEmpty)
        #expect(throws: InputError.self) { try engine.recover(fromFailureOf: "nope", reason: "x", in: scenario.snapshot) }
    }

    @Test("a recovered P1 preempts a lower priority elsewhere")
    func recoveryPreempts() throws {
        var scenario = PlacementScenario([Build.node("a", gpus: 1), Build.node("b", gpus: 1)])
        try scenario.run([
            (Build.gpuRequest("critical", priority: .p1), .node("a")),
            (Build.gpuRequest("batch", priority: .p4), .node("b")),
        ])
        let recovery = try PlacementEngine(snapshot: scenario.snapshot).recover(fromFailureOf: "a", reason: "NotReady", in: scenario.snapshot)
        #expect(recovery.replaced.map(\.workload) == ["critical"])
        #expect(recovery.snapshot.nodes[1].workloads.map(\.id) == ["critical"])
    }
}
