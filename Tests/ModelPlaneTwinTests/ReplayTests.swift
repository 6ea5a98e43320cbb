import ModelPlaneCore
import Testing

@testable import ModelPlaneTwin

@Suite("Time-ordered trace replay")
struct ReplayTests {
    static let nodes = [TraceNode(name: "n0", cpuMilli: 32_000, memoryMiB: 262_144, gpuCount: 2, gpuModel: "V100M16")]

    static func pod(_ name: String, gpus: Int, milli: Int = 1000, created: Int, scheduled: Int? = nil, deleted: Int) -> TracePod {
        TracePod(
            name: name, cpuMilli: 1000, memoryMiB: 1024, gpuCount: gpus, gpuMilli: milli, creationTime: created, deletionTime: deleted,
            scheduledTime: scheduled ?? created)
    }

    @Test("pods run for their production time, wait when nothing fits, and start when a departure frees room")
    func byHand() {
        // a: 2 GPUs over [0, 100); b arrives at 10 and waits for a (starts at 100, runs 50 → leaves at 150);
        // c: half a GPU at 120 starts at once on the other GPU and runs 30.
        let pods = [
            Self.pod("a", gpus: 2, created: 0, deleted: 100),
            Self.pod("b", gpus: 1, created: 10, scheduled: 20, deleted: 70),
            Self.pod("c", gpus: 1, milli: 500, created: 120, deleted: 150),
        ]
        for policy in ArrivalPolicy.allCases {
            let replay = TimedReplay(nodes: Self.nodes, pods: pods, policy: policy, maxMigrations: 2)
            #expect(replay.placed == 3 && replay.neverPlaced == 0)
            #expect(replay.waits == [0, 90, 0], "\(policy)")
            #expect(replay.maximumWaiting == 1)
            // Allocated GPU-seconds between the first and last arrival [0, 120]: 2 × 100 + 1 × 20 = 220 on 2 GPUs.
            #expect(abs(replay.meanAllocation - 220.0 / 120 / 2) < 1e-12, "\(policy): \(replay.meanAllocation)")
            #expect(replay.peakAllocatedMilli == 2_000)
            #expect(replay.timeline.last?.allocatedMilli == 0)
        }
    }

    @Test("compression divides arrival times and keeps run times")
    func compression() {
        let pods = [Self.pod("a", gpus: 2, created: 0, deleted: 100), Self.pod("b", gpus: 2, created: 1_000, deleted: 1_100)]
        let real = TimedReplay(nodes: Self.nodes, pods: pods, policy: .bestFit)
        #expect(real.maximumWaiting == 0)
        let squeezed = TimedReplay(nodes: Self.nodes, pods: pods, policy: .bestFit, compression: 100)
        // b now arrives at 10 while a runs until 100.
        #expect(squeezed.waits == [0, 90])
    }

    @Test("ModelPlane's engine in time, with path B: every pod accounted for, capacity never exceeded, moves counted")
    func modelplane() {
        // The first 150 GPU nodes and 1,500 pods of the default trace, arrivals 200,000× faster: a queue forms.
        let nodes = Array(ArrivalTests.nodes.prefix(150))
        let pods = Array(ArrivalTests.pods.prefix(1_500))
        let capacity = nodes.reduce(0) { $0 + $1.gpuCount * 1_000 }
        let plain = TimedReplay(nodes: nodes, pods: pods, policy: .modelplane, compression: 200_000)
        let moving = TimedReplay(nodes: nodes, pods: pods, policy: .modelplane, compression: 200_000, maxMigrations: 2)
        for replay in [plain, moving] {
            #expect(replay.placed + replay.neverPlaced == pods.count)
            #expect(replay.timeline.allSatisfy { $0.allocatedMilli >= 0 && $0.allocatedMilli <= capacity })
            #expect(replay.timeline.last?.allocatedMilli == 0, "every placed pod leaves")
            #expect(replay.waits.allSatisfy { $0 >= 0 })
        }
        #expect(plain.maximumWaiting > 0, "the compression makes pods wait")
        #expect(plain.migrations == 0 && moving.migrations > 0)
        let again = TimedReplay(nodes: nodes, pods: pods, policy: .modelplane, compression: 200_000, maxMigrations: 2)
        #expect(again.waits == moving.waits && again.migrations == moving.migrations)
    }
}
