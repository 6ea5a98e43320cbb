import ModelPlaneCore
import Testing

@Suite("placement scenario: fractional MPS shares")
struct FractionalScenarioTests {
    @Test("shares differ per client on one GPU, each pod with its own thread percentage and memory limit")
    func sharesPerClient() throws {
        var scenario = PlacementScenario([Build.node("a", gpus: 2), Build.node("b", gpus: 2)])
        let decisions = try scenario.run([
            (Build.gpuRequest("r1", percent: 40), .node("a", gpus: [0])),  // all idle: the first node, its first GPU
            (Build.gpuRequest("r2", percent: 40), .node("a", gpus: [0])),  // an MPS daemon of the same tenant (100) beats an idle GPU (50)
            (Build.gpuRequest("r3", percent: 30), .node("a", gpus: [1])),  // 20 % left on GPU 0; a is in use, b idle
            (Build.gpuRequest("r4", percent: 20), .node("a", gpus: [0])),  // fills GPU 0: 40 + 40 + 20 = 100 %
            (Build.gpuRequest("r5"), .node("b", gpus: [0])),  // a whole GPU: none idle on a
        ])
        // 40 % of 80 GiB = 32 GiB = 32,768 MiB pinned; 20 % = 16,384 MiB.
        #expect(decisions[0].podChanges?.env["CUDA_MPS_ACTIVE_THREAD_PERCENTAGE"] == "40")
        #expect(decisions[0].podChanges?.env["CUDA_MPS_PINNED_DEVICE_MEM_LIMIT"] == "0=32768M")
        #expect(decisions[3].podChanges?.env["CUDA_MPS_ACTIVE_THREAD_PERCENTAGE"] == "20")
        #expect(decisions[3].podChanges?.env["CUDA_MPS_PINNED_DEVICE_MEM_LIMIT"] == "0=16384M")
        #expect(decisions[4].podChanges?.resources["nvidia.com/gpu"] == "1")
        #expect(decisions[4].podChanges?.env.isEmpty == true)
        let gpu = scenario.snapshot.nodes[0].gpus[0]
        #expect(gpu.mpsClients.map(\.milli) == [400, 400, 200])
        #expect(gpu.freeMilli == 0)
    }

    @Test("oversubscription to 120 % only when every client on the GPU declares throttling")
    func oversubscription() throws {
        var throttled = Build.gpuRequest("t2", percent: 60)
        throttled.throttlingDeclared = true
        var first = Build.gpuRequest("t1", percent: 60)
        first.throttlingDeclared = true
        var scenario = PlacementScenario([Build.node("c", gpus: 1)])
        try scenario.run([
            (first, .node("c", gpus: [0])),
            (Build.gpuRequest("plain", percent: 60), .queued),  // 60 + 60 > 100 without throttling
            (throttled, .node("c", gpus: [0])),  // 120 % ≤ the 120 % limit, both throttle
        ])
        var third = Build.gpuRequest("t3", percent: 10)
        third.throttlingDeclared = true
        try scenario.run([(third, .queued)])  // 130 % > 120 %
    }

    @Test("MPS decision tree: an existing share, else a reconfiguration, and with none allowed an exclusive GPU")
    func decisionTree() throws {
        let nodes = [Build.node("plain", gpus: 1, mps: false), Build.node("shared", gpus: 1)]
        var scenario = PlacementScenario(nodes)
        try scenario.run([
            (Build.gpuRequest("s1", percent: 50), .node("shared", gpus: [0])),  // direct beats reconfiguration
            (Build.gpuRequest("s2", percent: 50), .node("shared", gpus: [0])),
            (Build.gpuRequest("s3", percent: 50), .reconfigure("plain")),  // only the node without MPS has room
        ])
        var policy = PlacementPolicy.standard
        policy.mpsReconfigurationAllowed = false
        var strict = PlacementScenario(nodes, policy: policy)
        let decisions = try strict.run([
            (Build.gpuRequest("s1", percent: 50), .node("shared", gpus: [0])),
            (Build.gpuRequest("s2", percent: 50), .node("shared", gpus: [0])),
            (Build.gpuRequest("s3", percent: 50), .node("plain", gpus: [0])),  // conflict: an exclusive GPU instead
        ])
        #expect(decisions[2].placement?.mpsSharePercent == nil)
        #expect(decisions[2].podChanges?.resources["nvidia.com/gpu"] == "1")
        #expect(decisions[2].reasons.first?.contains("MPS configuration conflict") == true)
        #expect(strict.snapshot.nodes[0].gpus[0].freeMilli == 0)
    }
}
