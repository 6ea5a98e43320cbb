import Testing

@testable import ModelPlaneCore

@Suite("Workload classification (seed 004)")
struct WorkloadClassificationTests {
    @Test(
        "the seed's score with model size in billions: its own examples, the boundaries, and the shares",
        arguments: [
            (7.0, 1, 512, 75.12, WorkloadClass.small, 20),  // 7 × 10 + 1 × 512 / 100: the seed's small example
            (70.0, 8, 2048, 863.84, .large, 100),  // 700 + 8 × 2048 / 100 = 700 + 163.84: the seed's large example
            (13.0, 4, 1024, 170.96, .medium, 40),  // 130 + 40.96
            (9.0, 1, 1000, 100.0, .medium, 40),  // 90 + 10 = 100: the boundary is medium (100 ≤ score)
            (40.0, 1, 10_000, 500.0, .large, 100),  // 400 + 100 = 500: the boundary is large
            (0.5, 64, 4096, 2626.44, .large, 100),  // a tiny model at a huge batch is large: the score is batch-driven
        ])
    func score(billions: Double, batch: Int, sequence: Int, score: Double, expected: WorkloadClass, share: Int) throws {
        let result = try WorkloadClassification.classify(parametersBillions: billions, batch: batch, sequence: sequence)
        #expect(abs(result.score - score) < 1e-9)
        #expect(result.workloadClass == expected)
        #expect(result.share == share && result.computeShare == share)
        #expect(result.memoryShare == nil)
    }

    @Test("read as gigabytes of bf16 weights, the seed's 7B example would be medium: the reason ModelPlane reads billions")
    func gigabytesReading() throws {
        // 7B in bf16 = 14 GB: 14 × 10 + 5.12 = 145.12 → medium, contradicting the seed's own example.
        let asGigabytes = try WorkloadClassification.classify(parametersBillions: 14, batch: 1, sequence: 512)
        #expect(asGigabytes.workloadClass == .medium)
    }

    @Test("the share is the larger of compute and memory, on the 20/40/60/80/100 steps")
    func memoryShare() throws {
        let gib = 1_073_741_824.0
        // Small by score (20 %), but 17.5 GiB of 76 GiB usable is 23.0 % → 40 %.
        let small = try WorkloadClassification.classify(
            parametersBillions: 8, batch: 1, sequence: 512, memoryNeededBytes: 17.5 * gib, gpuMemoryBytes: 76 * gib)
        #expect(small.computeShare == 20 && small.memoryShare == 40 && small.share == 40)
        #expect(small.explanation.contains("memory 23 % → 40 %"))
        // Memory below the compute share leaves the compute share.
        let light = try WorkloadClassification.classify(
            parametersBillions: 1, batch: 1, sequence: 128, memoryNeededBytes: 3 * gib, gpuMemoryBytes: 76 * gib)
        #expect(light.share == 20 && light.memoryShare == 20)
        // More than the GPU holds is an error that says by how much.
        #expect(throws: InputError.self) {
            _ = try WorkloadClassification.classify(
                parametersBillions: 70, batch: 1, sequence: 128, memoryNeededBytes: 140 * gib, gpuMemoryBytes: 76 * gib)
        }
    }

    @Test(
        "shares on one GPU add to 100 %, or to 120 % when throttling is declared",
        arguments: [
            ([40, 40], 20, false, true),  // 100
            ([40, 40], 40, false, false),  // 120 without throttling
            ([40, 40], 40, true, true),  // 120 with throttling
            ([60, 40], 40, true, false),  // 140 > 120
            ([], 100, false, true),  // an exclusive request on an empty GPU
            ([20], 0, false, false),  // a zero share is no request
            ([20], -20, true, false),  // negative shares are refused
        ])
    func admission(existing: [Int], share: Int, throttled: Bool, admitted: Bool) {
        #expect(WorkloadClassification.admits(share, beside: existing, throttlingDeclared: throttled) == admitted)
    }

    @Test("bad requests and policies are errors naming the field")
    func badInput() throws {
        #expect(throws: InputError.self) { _ = try WorkloadClassification.classify(parametersBillions: -7, batch: 1, sequence: 512) }
        #expect(throws: InputError.self) { _ = try WorkloadClassification.classify(parametersBillions: .nan, batch: 1, sequence: 512) }
        #expect(throws: InputError.self) { _ = try WorkloadClassification.classify(parametersBillions: 7, batch: 0, sequence: 512) }
        var policy = ClassificationPolicy()
        policy.steps = [20, 40, 30, 100]
        #expect(throws: InputError.self) { _ = try policy.validated() }
        policy = ClassificationPolicy()
        policy.smallBelow = 600
        #expect(throws: InputError.self) { _ = try policy.validated() }
        // Thresholds are configurable: with small below 50, the seed's 7B example becomes medium.
        policy = ClassificationPolicy()
        policy.smallBelow = 50
        let result = try WorkloadClassification.classify(parametersBillions: 7, batch: 1, sequence: 512, policy: try policy.validated())
        #expect(result.workloadClass == .medium && result.share == 40)
    }
}
