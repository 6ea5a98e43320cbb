import ModelPlaneCore
import Testing

@testable import ModelPlaneTwin

@Suite("ModelPlane's engine under the arrival protocol")
struct PlacementArrivalTests {
    /// The first 150 GPU nodes and the first 1,500 pods of the default trace: a small cluster the protocol fills in
    /// seconds.
    static let nodes = Array(ArrivalTests.nodes.prefix(150))
    static let pods = Array(ArrivalTests.pods.prefix(1_500))

    @Test("a run is deterministic, never over-allocates, and matches its own record")
    func run() {
        let experiment = ArrivalExperiment(nodes: Self.nodes, pods: Self.pods, inflation: 1.3)
        let first = experiment.run(.modelplane, seed: 42)
        let again = experiment.run(.modelplane, seed: 42)
        #expect(first.allocatedMilli == again.allocatedMilli && first.placements == again.placements)
        #expect(first.allocatedMilli.allSatisfy { $0 <= first.capacityMilli })
        #expect(first.failedTasks == first.placements.count { $0 == nil })
        #expect(first.migrations == 0)
        // Replaying the placements on the trace nodes: every task fits where the engine put it.
        var cluster = Self.nodes.map(ShareNode.init)
        let sequence = experiment.sequence(seed: 42)
        for (task, node) in zip(sequence.tasks, first.placements) {
            guard let node else { continue }
            #expect(cluster[node].fits(task))
            cluster[node].place(task, on: cluster[node].bestFitGPUs(for: task))
        }
    }

    @Test("with migrations allowed (path B) arrivals move running tasks, and no move loses one")
    func repacking() {
        let moving = ArrivalExperiment(nodes: Self.nodes, pods: Self.pods, inflation: 1.3, maxMigrations: 2).run(.modelplane, seed: 43)
        #expect(moving.migrations > 0)
        // Every event adds the arriving task or nothing: a repack keeps every moved task allocated.
        var previous = 0
        for (event, allocated) in moving.allocatedMilli.enumerated() {
            #expect(allocated >= previous, "event \(event)")
            previous = allocated
        }
    }

    @Test("the target workload's coverage: 95 % is the paper's workload; 100 % counts every shape; tuning keeps the better")
    func coverage() async {
        let experiment = ArrivalExperiment(nodes: Self.nodes, pods: Self.pods, inflation: 1.3)
        #expect(experiment.modelplaneWorkload.distribution == experiment.workload.distribution)
        let full = experiment.with(modelplaneCoverage: 1.0)
        // Every shape of the 1,500 pods, popularity summing to 1; the 95 % workload keeps fewer.
        let shapes = Set(Self.pods.map(ShareTask.init).map { "\($0.cpuMilli)/\($0.gpuMilli)/\($0.gpuCount)/\($0.gpuModels)" })
        #expect(full.modelplaneWorkload.distribution.shapes.count == shapes.count)
        #expect(experiment.workload.distribution.shapes.count < shapes.count)
        #expect(abs(full.modelplaneWorkload.distribution.shapes.reduce(0) { $0 + $1.popularity } - 1) < 1e-9)
        // The baselines keep the paper's workload whatever ModelPlane measures against.
        #expect(full.workload.distribution == experiment.workload.distribution)
        let (chosen, trials) = await experiment.tunedCoverage(seeds: [1])
        #expect(trials.map(\.coverage) == [0.95, 1.0])
        let best = trials.min { $0.cost < $1.cost }!
        #expect(chosen == best.coverage)
        // Each trial is the median of that coverage's own runs.
        let runs = await full.run(.modelplane, seeds: [1]).map(ArrivalMetrics.init)
        #expect(trials[1].unallocatedAt100 == ArrivalMetrics.median(runs.compactMap(\.unallocatedAt100)))
    }
}
