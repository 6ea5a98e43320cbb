import ArgumentParser
import Foundation
import ModelPlaneCore
import ModelPlaneTelemetry

struct TelemetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telemetry", abstract: "Read exporter output the way ModelPlane does.", subcommands: [Inspect.self])

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Parse a Prometheus / OpenMetrics exposition file: families, samples, and every skipped line and why.")

        @Argument(help: "An exposition file (dcgm-exporter, AMD exporter, vLLM, any /metrics body).") var file: String
        @Flag(help: "Fail on the first malformed line instead of skipping it.") var strict = false
        @Flag(help: "Print only the totals (and the parse rate).") var summary = false
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            try reportingInputErrors { () throws(InputError) in
                guard let data = FileManager.default.contents(atPath: file) else { throw InputError(file, "no such file or not readable") }
                var parser = ExpositionParser(options: .init(strict: strict))
                let clock = ContinuousClock()
                let start = clock.now
                let result: ParseResult
                do throws(ParseIssue) {
                    result = try parser.parse(Array(data))
                } catch {
                    throw InputError(file, error.description)
                }
                let elapsed = clock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                print(TelemetryReport.render(result, bytes: data.count, seconds: seconds, summary: summary, json: json))
            }
        }
    }
}
