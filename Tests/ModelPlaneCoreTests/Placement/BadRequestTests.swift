import ModelPlaneCore
import Testing

@Suite("placement: bad requests are unschedulable with reasons")
struct BadRequestTests {
    static func request(_ change: (inout PlacementRequest) -> Void) -> PlacementRequest {
        var request = Build.gpuRequest("bad")
        change(&request)
        return request
    }

    static let cases: [(String, PlacementRequest, [String])] = [
        ("larger than any node", request { $0.gpuCount = 16 }, ["gpu-type: 2 of 2 nodes", "node has 8 GPUs; 16 asked (short 8)"]),
        ("an unknown GPU type", request { $0.gpuTypes = ["h1000"] }, ["GPU type h100-sxm is not one of h1000"]),
        ("a negative share", request { $0.gpuMilli = -100 }, ["GPU share -10.0 % is not positive"]),
        ("a share above a whole GPU", request { $0.gpuMilli = 1_500 }, ["exceeds a whole GPU by 50.0 %"]),
        ("exclusive with a share", request { ($0.gpuMilli, $0.sharing) = (400, .exclusive) }, ["exclusive means 100 %"]),
        (
            "preferences outside the allowed types", request { ($0.gpuTypes, $0.preferredGPUTypes) = (["a100-sxm-80gb"], ["l40s"]) },
            ["are all outside"]
        ),
        ("fractional shares of several GPUs", request { ($0.gpuCount, $0.gpuMilli) = (2, 500) }, ["a fractional share is for one GPU"]),
        ("MIG without a profile", request { $0.sharing = .mig }, ["MIG sharing without a MIG profile"]),
        ("more CPU than any node has", request { $0.cpuMilli = 500_000 }, ["CPU: 500000m asked, 128000m free of 128000m (short 372000m)"]),
        ("a model larger than the GPU", request { $0.gpuMemoryBytes = 100 * Build.gib }, ["the model needs 100 GiB (short 20 GiB)"]),
        ("NaN host memory", request { $0.memoryBytes = .nan }, ["host memory nan bytes is not a size"]),
        ("a negative GPU count", request { $0.gpuCount = -1 }, ["gpu count -1 is negative"]),
    ]

    @Test("each bad request names the constraint and the miss", arguments: cases.indices)
    func unschedulable(_ index: Int) throws {
        let (label, request, fragments) = Self.cases[index]
        var scenario = PlacementScenario([Build.node("a"), Build.node("b")])
        let decisions = try scenario.run([(request, .unschedulable(fragments))])
        #expect(decisions[0].placement == nil, "\(label)")
    }

    @Test("an empty fleet and a fleet of cordoned or failed nodes")
    func noNodes() throws {
        var empty = PlacementScenario([])
        try empty.run([(Build.gpuRequest("r"), .unschedulable(["the snapshot has no nodes"]))])
        var cordoned = Build.node("a")
        cordoned.cordoned = true
        var failed = Build.node("b")
        failed.unhealthyReason = "XID 79"
        var scenario = PlacementScenario([cordoned, failed])
        try scenario.run([(Build.gpuRequest("r"), .unschedulable(["node-health: 2 of 2 nodes", "node is cordoned"]))])
    }
}
