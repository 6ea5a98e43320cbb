import ModelPlaneCore
import Testing

@Suite("placement scenario: MIG instances")
struct MIGScenarioTests {
    /// One H100 partitioned as 3 × 1g.10gb + 1 × 3g.40gb (slices 3 + 3 of 7).
    static func migNode() -> PlacementNode {
        let gib = Build.gib
        let slots =
            (0..<3).map { _ in MIGSlot(profile: "1g.10gb", milli: 143, memoryBytes: 10 * gib) } + [
                MIGSlot(profile: "3g.40gb", milli: 429, memoryBytes: 40 * gib)
            ]
        let gpu = PlacementGPU(index: 0, freeMilli: 1_000, memoryBytes: 80 * gib, sharing: .mig, migSlots: slots)
        return PlacementNode(name: "m", gpuType: "h100-sxm", gpus: [gpu], cpuCapacityMilli: 64_000, memoryCapacityBytes: 512 * gib)
    }

    static func mig(_ id: String, _ profile: String, memoryGiB: Double? = nil) -> PlacementRequest {
        PlacementRequest(
            id: id, gpuCount: 1, gpuMilli: profile.hasPrefix("1g") ? 143 : 429, gpuMemoryBytes: memoryGiB.map { $0 * Build.gib }, sharing: .mig,
            migProfile: profile, cpuMilli: 1_000)
    }

    @Test("instances by profile until taken; a missing profile, a model too large for the slot, a whole GPU")
    func instances() throws {
        var scenario = PlacementScenario([Self.migNode()])
        let decisions = try scenario.run([
            (Self.mig("i1", "1g.10gb"), .node("m", gpus: [0])),
            (Self.mig("i2", "3g.40gb", memoryGiB: 30), .node("m", gpus: [0])),
            (Self.mig("i3", "3g.40gb"), .queued),  // the one 3g.40gb is taken: resolvable
            (Self.mig("i4", "2g.20gb"), .unschedulable(["no 2g.20gb instance"])),
            (Self.mig("i5", "1g.10gb", memoryGiB: 12), .unschedulable(["short 2 GiB"])),  // 12 GiB into 10 GiB
            (Build.gpuRequest("whole"), .unschedulable(["MIG-partitioned"])),
        ])
        #expect(decisions[0].podChanges?.resources == ["nvidia.com/mig-1g.10gb": "1"])
        #expect(decisions[0].placement?.migProfile == "1g.10gb")
        let slots = scenario.snapshot.nodes[0].gpus[0].migSlots
        #expect(slots.map(\.holder) == ["i1", nil, nil, "i2"])
        // 1000 − 143 − 429 = 428 thousandths of the GPU left.
        #expect(scenario.snapshot.nodes[0].gpus[0].freeMilli == 428)
    }
}
