import ArgumentParser
import Foundation
import ModelPlaneCore
import ModelPlaneTelemetry

struct TelemetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telemetry", abstract: "Read exporter output the way ModelPlane does.", subcommands: [Inspect.self])

    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Read an exporter's output (a file or a /metrics URL) and print the normalized devices and servers, with every skipped line.",
            discussion: """
                Reads Prometheus text 0.0.4 or OpenMetrics 1.0 (dcgm-exporter, AMD device-metrics-exporter, vLLM, any /metrics \
                body) or a Prometheus /api/v1/query JSON answer, detected from the content. Values are printed in ModelPlane's \
                units: W, J, bytes, bytes/s, ratios 0…1, °C, Hz, seconds.
                """)

        @Argument(help: "A file, or an http(s):// URL to scrape.") var source: String
        @Flag(help: "Fail on the first malformed line instead of skipping it.") var strict = false
        @Flag(help: "Print only the totals (and the read rate).") var summary = false
        @Flag(help: "Also list the metric families with their types and sample counts.") var families = false
        @Flag(help: "Print JSON instead of tables.") var json = false
        @Option(help: "Seconds to wait for a URL.") var timeout: Double = 10

        func run() async throws {
            let clock = ContinuousClock()
            let start = clock.now
            let report: TelemetryReport.Input
            do throws(InputError) {
                report = try await read(clock: clock, start: start)
            } catch {
                printError("modelplane: error: \(error.description)")
                throw ExitCode(1)
            }
            print(TelemetryReport.render(report, summary: summary, families: families, json: json))
        }

        private func read(clock: ContinuousClock, start: ContinuousClock.Instant) async throws(InputError) -> TelemetryReport.Input {
            if source.hasPrefix("http://") || source.hasPrefix("https://") {
                guard timeout > 0, timeout <= 3600 else { throw InputError("--timeout", "\(timeout) s", expected: "between 0 and 3600 seconds") }
                let outcome = await Scraper.scrapeOnce(
                    ScrapeTarget(url: source), limits: ScrapeLimits(timeout: .milliseconds(Int64(timeout * 1000))), strict: strict)
                guard let reading = outcome.reading else { throw InputError(source, outcome.failure?.description ?? "nothing read") }
                return .init(
                    source: source, bytes: outcome.bytes, seconds: Self.seconds(clock.now - start), reading: reading, failure: outcome.failure)
            }
            let file = try MappedFile(path: source)
            if file.withUnsafeBytes({ $0.first }) == UInt8(ascii: "{") {
                guard let text = file.withUnsafeBytes({ String(validating: $0, as: UTF8.self) }) else {
                    throw InputError(source, "not valid UTF-8", expected: "a JSON document")
                }
                let response = try PrometheusQueryResponse.parse(text, source: source)
                return .init(source: source, bytes: file.count, seconds: Self.seconds(clock.now - start), prometheus: response)
            }
            var parser = ExpositionParser(options: .init(strict: strict))
            // Parsed where the file is mapped: the body is not copied, and samples go straight into the normalizer.
            let result = file.withUnsafeBytes { buffer -> Result<ExpositionReading, ParseIssue> in
                do throws(ParseIssue) {
                    return .success(try ExpositionReading.read(buffer, parser: &parser, options: .init(target: source)))
                } catch {
                    return .failure(error)
                }
            }
            switch result {
            case .success(let reading): return .init(source: source, bytes: file.count, seconds: Self.seconds(clock.now - start), reading: reading)
            case .failure(let issue): throw InputError(source, issue.description)
            }
        }

        static func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
    }
}
