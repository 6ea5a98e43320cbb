import Foundation
import ModelPlaneTestSupport
import Testing

@testable import ModelPlaneTelemetry

/// The scraper and the PromQL client against a loopback HTTP server, including the ways exporters misbehave.
@Suite("Scraper and PromQL client over loopback HTTP")
struct ScraperTests {
    static func fixture(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Fixtures.shared.appendingPathComponent("fixtures/\(path)")))
    }

    @Test("a scrape normalizes exactly like the file read directly; one hanging target costs one timeout, not the cycle")
    func scrapeCycle() async throws {
        let l4 = "dcgm-exporter/metrics/l4-gpu-operator-full-scrape.prom"
        let mig = "dcgm-exporter/metrics/a100-mig-1g.5gb-nvidia-docs.prom"
        let server = try await LoopbackHTTPServer(routes: [
            "/l4": .bytes(try Self.fixture(l4)), "/mig": .bytes(try Self.fixture(mig)), "/hang": .hang, "/error": .status(500),
        ])
        let scraper = Scraper(
            targets: [], concurrency: 4, limits: ScrapeLimits(timeout: .seconds(8)), deliver: { _ in })
        let targets =
            ["/l4", "/hang", "/mig", "/error"].map { ScrapeTarget(name: $0, url: server.url($0)) }
            + [ScrapeTarget(name: "refused", url: "http://127.0.0.1:1/metrics")]
        var parsers: [ScrapeTarget: ExpositionParser] = [:]
        let outcomes = await scraper.scrape(targets, parsers: &parsers)
        #expect(outcomes.map(\.target.name) == ["/l4", "/hang", "/mig", "/error", "refused"])
        // The hanging target must not hold the others: each of them finished inside the hang's timeout. (Relative, not
        // a wall-clock bound.) The refused target used to be retried until the same deadline as the hang and raced it;
        // the client's 2 s connect timeout now fails it first. The hang's timeout is 8 s, well past that and past a debug
        // parse of the L4 scrape beside the rest of the suite.
        for index in [0, 2, 3, 4] {
            #expect(outcomes[index].duration < outcomes[1].duration, "\(outcomes[index].target.name) waited for the hanging target")
        }
        var parser = ExpositionParser()
        for (index, path) in [(0, l4), (2, mig)] {
            let direct = try ExpositionReading.read(try Self.fixture(path), parser: &parser, options: .init(target: outcomes[index].target.name))
            let scraped = try #require(outcomes[index].reading)
            #expect(outcomes[index].failure == nil)
            #expect(scraped.normalized.devices == direct.normalized.devices)
            #expect(scraped.parse.sampleCount == direct.parse.sampleCount)
        }
        #expect(outcomes[1].failure == .timeout(.seconds(8)) && outcomes[1].reading == nil)
        #expect(outcomes[3].failure == .httpStatus(500))
        #expect(outcomes[4].failure?.name == "connection")
        #expect(parsers.count == 5, "every target keeps its parser for the next scrape")
        try await server.shutdown()
    }

    @Test("a body over the size limit: cut at the last complete line, those lines read, the failure named")
    func oversizedBody() async throws {
        let chunk = "DCGM_FI_DEV_GPU_TEMP{gpu=\"0\",Hostname=\"n\"} 40\npadding_metric 1\n"
        let server = try await LoopbackHTTPServer(routes: ["/big": .stream(chunk: chunk, count: 2_000)])
        let limits = ScrapeLimits(timeout: .seconds(10), maximumBodyBytes: 4096)
        let scraper = Scraper(targets: [], limits: limits, deliver: { _ in })
        var parsers: [ScrapeTarget: ExpositionParser] = [:]
        let outcome = try #require(await scraper.scrape([ScrapeTarget(url: server.url("/big"))], parsers: &parsers).first)
        #expect(outcome.failure == .bodyTooLarge(limit: 4096) && outcome.bytes == 4096)
        let reading = try #require(outcome.reading)
        #expect(reading.normalized.device(DeviceKey(node: "n", gpuIndex: 0))?[.gpuTemperature] == 40)
        #expect(reading.parse.skipped[.truncated] == nil, "the cut is at a line boundary")
        #expect(reading.parse.skipped[.duplicateSeries, default: 0] > 0, "the repeated lines are duplicates, counted")
        try await server.shutdown()
    }

    @Test("bad bodies keep their good lines: truncated, invalid UTF-8, duplicates, a million label sets")
    func badBodies() async throws {
        var million = Array("# TYPE hostile gauge\n".utf8)
        million.reserveCapacity(24_000_000)
        for index in 0..<1_000_000 { million.append(contentsOf: "hostile{id=\"\(index)\"} 1\n".utf8) }
        let good = "DCGM_FI_DEV_POWER_USAGE{gpu=\"0\",Hostname=\"n\"} 100\n"
        let server = try await LoopbackHTTPServer(routes: [
            "/truncated": .body(good + "DCGM_FI_DEV_GPU_TEMP{gpu=\"0\",Hostname=\"n\"} 4"),
            "/utf8": .bytes(Array(good.utf8) + Array("DCGM_FI_DEV_GPU_TEMP{gpu=\"0\",Hostname=\"".utf8) + [0xFF, 0xFE] + Array("\"} 40\n".utf8)),
            "/duplicate": .body(good + good),
            "/million": .bytes(Array(good.utf8) + million),
        ])
        let limits = ScrapeLimits(maximumBodyBytes: 64 << 20, maximumSeries: 10_000)
        let scraper = Scraper(targets: [], limits: limits, deliver: { _ in })
        var parsers: [ScrapeTarget: ExpositionParser] = [:]
        let names = ["/truncated", "/utf8", "/duplicate", "/million"]
        let outcomes = await scraper.scrape(names.map { ScrapeTarget(name: $0, url: server.url($0)) }, parsers: &parsers)
        for outcome in outcomes {
            let reading = try #require(outcome.reading, "\(outcome.target)")
            #expect(reading.normalized.device(DeviceKey(node: "n", gpuIndex: 0))?[.power] == 100, "\(outcome.target): the good line is kept")
            #expect(outcome.failure == nil)
        }
        #expect(outcomes[0].reading?.parse.skipped == [.truncated: 1])
        #expect(outcomes[1].reading?.parse.skipped == [.invalidUTF8: 1])
        #expect(outcomes[2].reading?.parse.skipped == [.duplicateSeries: 1])
        #expect(outcomes[3].reading?.parse.skipped == [.seriesLimit: 990_001])  // 10,000 series kept: the good one and 9,999
        try await server.shutdown()
    }

    @Test("backoff doubles per failure, caps, and jitters within [½, 1] of the delay")
    func backoff() {
        let backoff = Backoff(base: .seconds(1), maximum: .seconds(60))
        let cases: [(failures: Int, unit: Double, expected: Duration)] = [
            (0, 0.5, .zero),
            (1, 1.0, .seconds(1)),  // 1 s × (½ + ½·1)
            (1, 0.0, .milliseconds(500)),  // 1 s × ½
            (3, 1.0, .seconds(4)),  // 2² s
            (7, 1.0, .seconds(60)),  // 64 s capped to 60
            (7, 0.0, .seconds(30)),
            (200, 1.0, .seconds(60)),  // no overflow
        ]
        for row in cases { #expect(backoff.delay(afterFailures: row.failures, unit: row.unit) == row.expected, "\(row)") }
    }

    @Test("PromQL client: reads a vector over HTTP and normalizes it; an error answer names Prometheus' reason")
    func promqlClient() async throws {
        let server = try await LoopbackHTTPServer(routes: [
            "/api/v1/query": .bytes(
                try Self.fixture("prometheus-api/query-vector-dcgm-fb-used-h100-honorlabels.json"), contentType: "application/json")
        ])
        let client = PrometheusClient(baseURL: server.url("/"))
        let response = try await client.query("DCGM_FI_DEV_FB_USED", at: 1_772_826_012_900)
        let scrape = response.normalized()
        #expect(scrape.devices.count == 8 && scrape.devices[2][.memoryUsed] == 77_768_687_616)
        let broken = try await LoopbackHTTPServer(routes: [
            "/api/v1/query": .body(#"{"status":"error","errorType":"bad_data","error":"1:5: parse error"}"#, contentType: "application/json")
        ])
        await #expect(throws: PrometheusClient.QueryError.self) { try await PrometheusClient(baseURL: broken.url("")).query("up{") }
        do {
            _ = try await PrometheusClient(baseURL: broken.url("")).query("up{")
        } catch {
            #expect(error.description.contains("bad_data: 1:5: parse error"))
        }
        #expect(PrometheusClient.percentEncode(#"up{job="a b"}"#) == "up%7Bjob%3D%22a%20b%22%7D")
        try await server.shutdown()
        try await broken.shutdown()
    }
}
