import ModelPlaneCore
import ModelPlaneTelemetry
import ModelPlaneTwin
import Testing

@testable import ModelPlaneTwinService

@Suite("Live twin over HTTP")
struct LiveTwinTests {
    static let scenarioJSON = """
        {"name": "live", "duration": "1h", "step": "10s",
         "pools": [{"name": "hgx", "count": 2, "gpu": "h100-sxm", "gpus_per_node": 8}],
         "workloads": [
           {"name": "train", "model": "llama-3.1-8b", "phase": "training", "gpus": 8},
           {"name": "chat", "model": "llama-3.1-8b", "requests": {"poisson": 5}, "namespace": "serving"}],
         "faults": [{"at": "30m", "node_loss": "hgx-0001"}]}
        """

    func simulation() throws -> FleetSimulation {
        let scenario = try ScenarioReader.scenario(from: ConfigCursor(try JSONReader.parse(Self.scenarioJSON, source: "t"), path: "t:"))
        return try FleetSimulation(scenario: scenario)
    }

    @Test("every target scrapes cleanly with the telemetry scraper; a lost node answers 503")
    func scrape() async throws {
        var simulation = try simulation()
        simulation.advance(to: 60_000)
        let twin = try await LiveTwin(simulation, address: "127.0.0.1:0")
        let targets =
            simulation.nodes.map { ScrapeTarget(name: $0.name, url: "\(twin.baseURL)/nodes/\($0.name)/metrics") }
            + [ScrapeTarget(name: "chat", url: "\(twin.baseURL)/workloads/chat/metrics")]
        for target in targets {
            let outcome = await Scraper.scrapeOnce(target, strict: true)
            #expect(outcome.failure == nil, "\(target): \(String(describing: outcome.failure))")
            let reading = try #require(outcome.reading)
            #expect(reading.normalized.problemCount == 0)
            #expect(reading.normalized.devices.count + reading.normalized.workloads.count > 0)
        }
        let listing = await Scraper.scrapeOnce(ScrapeTarget(name: "targets", url: "\(twin.baseURL)/targets"))
        #expect(listing.bytes > 0)
        simulation.advance(to: 31 * 60_000)
        twin.publish(simulation)
        let lost = await Scraper.scrapeOnce(ScrapeTarget(name: "lost", url: "\(twin.baseURL)/nodes/hgx-0001/metrics"))
        #expect(lost.failure != nil)
        let missing = await Scraper.scrapeOnce(ScrapeTarget(name: "missing", url: "\(twin.baseURL)/nodes/nope/metrics"))
        #expect(missing.failure != nil)
        try await twin.shutdown()
    }

    @Test("as fast as possible, the served run ends where an unserved run ends, byte for byte")
    func served() async throws {
        var plain = try simulation()
        plain.run()
        let served = try await LiveTwin.serve(try simulation(), address: "127.0.0.1:0", speed: 0)
        #expect(FleetSummary(served).json.jsonText() == FleetSummary(plain).json.jsonText())
    }

    @Test("only loopback addresses are served")
    func loopbackOnly() async throws {
        await #expect(throws: LiveTwinError.self) { _ = try await LiveTwin(try simulation(), address: "0.0.0.0:0") }
        await #expect(throws: LiveTwinError.self) { _ = try await LiveTwin(try simulation(), address: "127.0.0.1") }
    }
}
