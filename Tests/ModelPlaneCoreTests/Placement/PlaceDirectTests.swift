import ModelPlaneCore
import Testing

/// `placeDirect`: path A on a few named nodes (a queue retried against the node a departure freed).
@Suite("Placement on candidate nodes only")
struct PlaceDirectTests {
    @Test("only the candidates are looked at; a node without room, a contradiction or a spent quota gives nil")
    func candidates() throws {
        var statement = Statement(FleetSnapshot(nodes: [Build.node("a", gpus: 2), Build.node("b", gpus: 2), Build.node("c", gpus: 2)]))
        try statement.allocate(Build.gpuRequest("full", gpus: 2), at: Placement(node: "b", nodeIndex: 1, gpus: [0, 1]))
        let snapshot = statement.commit()
        let engine = PlacementEngine(snapshot: snapshot)
        let request = Build.gpuRequest("r", gpus: 2)
        // The whole fleet would pick a (first node); restricted to c it is c.
        #expect(engine.place(request, in: snapshot).placement?.node == "a")
        #expect(engine.placeDirect(request, in: snapshot, candidates: [2])?.node == "c")
        #expect(engine.placeDirect(request, in: snapshot, candidates: [2])?.gpus == [0, 1])
        // b is full: nothing there, and no repack or preemption is tried.
        #expect(engine.placeDirect(request, in: snapshot, candidates: [1]) == nil)
        // An index outside the fleet is skipped, not a crash.
        #expect(engine.placeDirect(request, in: snapshot, candidates: [7, 2])?.node == "c")
        var contradictory = Build.gpuRequest("x", gpus: 2, percent: 40)
        contradictory.sharing = .mps  // a 40 % share of two GPUs contradicts itself
        #expect(engine.placeDirect(contradictory, in: snapshot, candidates: [0, 2]) == nil)
        // Tenant "default" may hold one GPU and holds none: two GPUs exceed it, one does not.
        var limited = snapshot
        limited.tenants["default"] = TenantQuota(maxGPUs: 1)
        #expect(engine.placeDirect(request, in: limited, candidates: [0, 2]) == nil)
        #expect(engine.placeDirect(Build.gpuRequest("one"), in: limited, candidates: [2])?.node == "c")
    }
}
