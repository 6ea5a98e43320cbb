import ModelPlaneCore
import Testing

@Suite("placement scenario: priorities and preemption")
struct PreemptionScenarioTests {
    @Test("a higher priority preempts a lower one; P0/P1 are never preempted by anything lower")
    func ladder() throws {
        var scenario = PlacementScenario([Build.node("p", gpus: 1)])
        try scenario.run([
            (Build.gpuRequest("low", priority: .p4), .node("p")),
            (Build.gpuRequest("mid", priority: .p2), .preempting("p", victims: ["low"])),
            (Build.gpuRequest("high", priority: .p1), .preempting("p", victims: ["mid"])),
            (Build.gpuRequest("other", priority: .p3), .queued),  // below the running P1
            (Build.gpuRequest("peer", priority: .p1), .queued),  // equal priority preempts nothing
            (Build.gpuRequest("top", priority: .p0), .preempting("p", victims: ["high"])),
        ])
    }

    @Test("the least important victims are chosen, then the fewest")
    func victimChoice() throws {
        var scenario = PlacementScenario([Build.node("a", gpus: 2), Build.node("b", gpus: 2)])
        try scenario.run([
            (Build.gpuRequest("a-p3", priority: .p3), .node("a", gpus: [0])),
            (Build.gpuRequest("a-p4", priority: .p4), .node("a", gpus: [1])),
            (Build.gpuRequest("b-p4a", priority: .p4), .node("b", gpus: [0])),
            (Build.gpuRequest("b-p4b", priority: .p4), .node("b", gpus: [1])),
            // Two GPUs for a P1: on a it would evict a P3, on b only P4s.
            (Build.gpuRequest("big", gpus: 2, priority: .p1), .preempting("b", victims: ["b-p4a", "b-p4b"])),
        ])
    }

    @Test("with preemption off the request waits")
    func disabled() throws {
        var policy = PlacementPolicy.standard
        policy.preemption = false
        var scenario = PlacementScenario([Build.node("p", gpus: 1)], policy: policy)
        try scenario.run([(Build.gpuRequest("low", priority: .p4), .node("p")), (Build.gpuRequest("high", priority: .p0), .queued)])
    }
}
