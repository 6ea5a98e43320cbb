import Foundation
import ModelPlaneTelemetry
import ModelPlaneTestSupport
import Testing

/// Against a real Prometheus server (Debian's `prometheus`), started by `scripts/with-prometheus` from
/// `scripts/test`, scraping the fixture files from a loopback server: what ModelPlane's PromQL client reads
/// back normalizes to the same devices and servers as the files read directly.
///
/// Runs whenever `MODELPLANE_PROMETHEUS_URL` is set, and also in CI (`CI` set), where a missing server fails.
@Suite(
    "Real Prometheus: PromQL readback equals the files read directly",
    .enabled(if: ProcessInfo.processInfo.environment["MODELPLANE_PROMETHEUS_URL"] != nil || ProcessInfo.processInfo.environment["CI"] != nil))
struct PrometheusServerTests {
    static let exposition = [
        "dcgm-exporter/metrics/a100-mig-1g.5gb-nvidia-docs.prom", "dcgm-exporter/metrics/h100-8gpu-sampled-vllm-pod-labels.prom",
        "dcgm-exporter/metrics/l4-gpu-operator-full-scrape.prom", "dcgm-exporter/metrics/readme-quickstart-doc-edited.prom",
        "dcgm-exporter/metrics/t4-gke-2gpu-dcp-pod-labels.prom", "dcgm-exporter/metrics/t4-under-load-no-help-lines.prom",
        "amd-device-metrics-exporter/gpu_clock-docs-example.prom", "amd-device-metrics-exporter/legacy-metrics-mini-v1.0.prom",
        "amd-device-metrics-exporter/mi300x-gpu_gfx_activity-prometheus-series.txt", "vllm/vllm-v1-metrics-qwen2.5-0.5b-idle-kops.prom",
    ]

    static func withoutTimestamps(_ scrape: NormalizedScrape) -> ([DeviceSample], [WorkloadSample]) {
        (
            scrape.devices.map { device in
                var device = device
                device.timestampMilliseconds = nil
                return device
            },
            scrape.workloads.map { server in
                var server = server
                server.timestampMilliseconds = nil
                return server
            }
        )
    }

    @Test("every exporter fixture, scraped by Prometheus and read back with PromQL", arguments: exposition)
    func readback(_ fixture: String) async throws {
        let url = try #require(
            ProcessInfo.processInfo.environment["MODELPLANE_PROMETHEUS_URL"],
            "no Prometheus: run the tests through scripts/test (scripts/with-prometheus)")
        let client = PrometheusClient(baseURL: url, timeout: .seconds(10))
        let response = try await client.query(#"{fixture="\#(fixture)"}"#)
        let upSeries = response.series.first { $0.name == "up" }
        #expect(upSeries?.points.last?.value == 1, "Prometheus scraped \(fixture)")
        let instance = try #require(upSeries?.labels.first { $0.name == "instance" }?.value)

        // The file read directly, named as Prometheus names the target (a vLLM server without pod labels is keyed by it).
        var parser = ExpositionParser()
        let body = Array(try Data(contentsOf: Fixtures.shared.appendingPathComponent("fixtures/\(fixture)")))
        let direct = try ExpositionReading.read(body, parser: &parser, options: .init(target: instance)).normalized
        let viaPrometheus = response.normalized()

        let (directDevices, directServers) = Self.withoutTimestamps(direct)
        let (promDevices, promServers) = Self.withoutTimestamps(viaPrometheus)
        #expect(!directDevices.isEmpty || !directServers.isEmpty)
        #expect(promDevices == directDevices, "\(fixture): devices differ")
        #expect(promServers == directServers, "\(fixture): servers differ")
        #expect(viaPrometheus.problems == direct.problems, "\(fixture): the same values refused (the README sentinel survives as 2^63)")
        // Every sample of the file is a series in Prometheus, besides the five it makes per target (up, scrape_*).
        let scrapeSeries = response.series.filter { ($0.name ?? "").hasPrefix("scrape_") || $0.name == "up" }.count
        #expect(response.series.count - scrapeSeries == direct.mappedSamples + direct.unmappedSamples, "\(fixture)")
        #expect(
            promDevices.allSatisfy { $0.timestampMilliseconds == nil }
                && viaPrometheus.devices.allSatisfy { $0.timestampMilliseconds != nil || $0.values.isEmpty })
    }

    @Test("a range query over the scrapes normalizes per step; an invalid query is refused with Prometheus' reason")
    func rangeAndErrors() async throws {
        let url = try #require(ProcessInfo.processInfo.environment["MODELPLANE_PROMETHEUS_URL"])
        let client = PrometheusClient(baseURL: url, timeout: .seconds(10))
        let now = try await client.query("time()")
        let end = Int64((now.series.first?.points.first?.value ?? 0) * 1000)
        let range = try await client.queryRange(
            #"DCGM_FI_DEV_POWER_USAGE{fixture="dcgm-exporter/metrics/h100-8gpu-sampled-vllm-pod-labels.prom"}"#, start: end - 3_000, end: end,
            stepSeconds: 1)
        #expect(range.resultType == .matrix && range.series.count == 8)
        let steps = range.normalizedByTime()
        #expect(steps.count >= 2)
        for step in steps {
            #expect(step.scrape.devices.count == 8 && step.scrape.device(DeviceKey(node: "gpu-node-1", gpuIndex: 0))?[.power] == 113.611)
        }
        do {
            _ = try await client.query("sum(")
            Issue.record("an invalid query must fail")
        } catch {
            #expect(error.description.contains("bad_data"), "\(error.description)")
        }
    }
}
