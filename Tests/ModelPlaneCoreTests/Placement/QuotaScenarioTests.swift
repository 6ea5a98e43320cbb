import ModelPlaneCore
import Testing

@Suite("placement scenario: tenant quotas")
struct QuotaScenarioTests {
    static func request(_ id: String, gpus: Int = 1, percent: Int = 100, hours: Double? = nil) -> PlacementRequest {
        var request = Build.gpuRequest(id, gpus: gpus, percent: percent)
        request.tenant = "team"
        request.expectedDurationSeconds = hours.map { $0 * 3_600 }
        return request
    }

    @Test("concurrent GPUs: fractions count, the request over quota waits with the excess")
    func concurrentGPUs() throws {
        var scenario = PlacementScenario([Build.node("a")], tenants: ["team": TenantQuota(maxGPUs: 2)])
        let decisions = try scenario.run([
            (Self.request("q1"), .node("a")),
            (Self.request("q2", percent: 50), .node("a")),  // 1.5 GPUs held
            (Self.request("q3"), .queued),  // 1.5 + 1 = 2.5 > 2
            (Self.request("q4", percent: 50), .node("a")),  // exactly 2
        ])
        #expect(decisions[2].reasons == ["tenant-quota: tenant team: 1.5 GPUs held + 1 asked > quota 2 (over by 0.5)"])
        #expect(scenario.snapshot.tenants["team"]?.usedGPUs == 2)
    }

    @Test("GPU-hours: GPUs × expected duration against what is left")
    func gpuHours() throws {
        var scenario = PlacementScenario([Build.node("a")], tenants: ["team": TenantQuota(maxGPUHours: 10, usedGPUHours: 4)])
        let decisions = try scenario.run([
            (Self.request("h1", gpus: 2, hours: 4), .queued),  // 4 + 2 × 4 = 12 > 10
            (Self.request("h2", gpus: 2, hours: 3), .node("a")),  // 4 + 6 = 10
        ])
        #expect(decisions[0].reasons == ["tenant-quota: tenant team: 4 GPU-hours used + 8 expected > quota 10 (over by 2)"])
    }
}
