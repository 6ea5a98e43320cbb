import Foundation
import ModelPlaneTelemetry
import ModelPlaneTestSupport
import Testing

@Suite("Exposition parser and writer")
struct ExpositionParserTests {
    static let fixtureFolders = ["dcgm-exporter/metrics", "amd-device-metrics-exporter", "vllm"]

    static var fixtureFiles: [URL] {
        fixtureFolders.flatMap { Fixtures.files(in: $0).filter { $0.pathExtension == "prom" || $0.lastPathComponent.hasSuffix("series.txt") } }
    }

    @Test("every exporter fixture parses; lenient mode reports what it skipped")
    func fixturesParse() throws {
        #expect(Self.fixtureFiles.count >= 9)
        for file in Self.fixtureFiles {
            var parser = ExpositionParser()
            let result = try parser.parse(Array(try Data(contentsOf: file)))
            #expect(result.sampleCount > 0, "\(file.lastPathComponent)")
            #expect(result.skippedCount == 0, "\(file.lastPathComponent): \(result.issues)")
        }
    }

    @Test("dcgm-exporter H100 scrape: families, typed, labels by name, values")
    func dcgmH100() throws {
        let file = Fixtures.files(in: "dcgm-exporter/metrics").first { $0.lastPathComponent.hasPrefix("h100-8gpu") }!
        var parser = ExpositionParser(options: .init(strict: true))
        let result = try parser.parse(Array(try Data(contentsOf: file)))
        let temperature = try #require(result.families.first { $0.name == "DCGM_FI_DEV_GPU_TEMP" })
        let first = try #require(temperature.samples.first)
        #expect(first.label("gpu") == "0")
        #expect(first.label(anyOf: "hostname", "Hostname") == "gpu-node-1")
        #expect(first.label("modelName") == "NVIDIA H100 80GB HBM3")
        #expect(first.label("pod_uid") == "")
        #expect(first.value == 30)
    }

    @Test("values: decimals, exponents, NaN, ±Inf, integers beyond 2^53")
    func values() throws {
        var parser = ExpositionParser()
        let result = try parser.parse(
            """
            a 1
            b -2.5
            c 1.7740113846e+09
            d NaN
            e +Inf
            f -Inf
            g 9223372036854775794
            h 0.995630
            i 1e-7
            j .5

            """)
        let values = Dictionary(uniqueKeysWithValues: result.samples.map { ($0.name, $0.value) })
        #expect(values["a"] == 1 && values["b"] == -2.5 && values["c"] == 1_774_011_384.6)
        #expect(values["d"]!.isNaN && values["e"] == .infinity && values["f"] == -.infinity)
        #expect(values["g"] == Double("9223372036854775794")! && values["h"] == 0.99563 && values["i"] == 1e-7 && values["j"] == 0.5)
    }

    @Test("label escapes, trailing comma, spaces, timestamps, families with suffixes")
    func grammar() throws {
        var parser = ExpositionParser(options: .init(strict: true))
        let result = try parser.parse(
            """
            # HELP req Requests.\\nSecond line
            # TYPE req histogram
            req_bucket{le="0.1",path="/a\\"b\\\\c\\nd",} 3 1700000000000
            req_bucket{ le = "+Inf" } 5
            req_sum 1.5
            req_count 5
            # TYPE up gauge
            up 1

            """)
        #expect(result.families.map(\.name) == ["req", "up"])
        let histogram = result.families[0]
        #expect(histogram.type == .histogram && histogram.help == "Requests.\nSecond line" && histogram.samples.count == 4)
        #expect(histogram.samples[0].label("path") == "/a\"b\\c\nd")
        #expect(histogram.samples[0].timestampMilliseconds == 1_700_000_000_000)
        #expect(histogram.samples[1].label("le") == "+Inf")
    }

    @Test("OpenMetrics: UNIT, _created, exemplars, timestamps in seconds, # EOF")
    func openMetrics() throws {
        var parser = ExpositionParser(options: .init(strict: true))
        let result = try parser.parse(
            """
            # TYPE rpc_duration_seconds histogram
            # UNIT rpc_duration_seconds seconds
            rpc_duration_seconds_bucket{le="0.5"} 10 # {trace_id="abc"} 0.43 1700000000.5
            rpc_duration_seconds_bucket{le="+Inf"} 12
            rpc_duration_seconds_count 12
            rpc_duration_seconds_sum 4.5
            rpc_duration_seconds_created 1700000000.25
            # TYPE tokens counter
            tokens_total 42 1700000001.5
            # EOF

            """)
        #expect(result.format == .openMetrics)
        let rpc = result.families[0]
        #expect(rpc.unit == "seconds" && rpc.samples.count == 5)
        #expect(rpc.samples[0].exemplar == Exemplar(labels: [Label("trace_id", "abc")], value: 0.43, timestamp: 1_700_000_000.5))
        #expect(result.families[1].samples[0].timestampMilliseconds == 1_700_000_001_500)
    }

    struct BadLine: Sendable, CustomTestStringConvertible {
        let text: String, problem: ParseProblem, column: Int
        var testDescription: String { text }
    }

    @Test(
        "malformed lines are skipped with line, column and reason; the rest is kept",
        arguments: [
            BadLine(text: "1abc 3", problem: .invalidMetricName, column: 1),
            BadLine(text: "m{a=\"1\" 3", problem: .invalidLabel, column: 9),
            BadLine(text: "m{a=1} 3", problem: .invalidLabel, column: 5),
            BadLine(text: "m{a=\"open} 3", problem: .unterminatedLabelValue, column: 6),
            BadLine(text: "m{a=\"x\\q\"} 3", problem: .invalidEscape, column: 6),
            BadLine(text: "m 12abc", problem: .invalidValue, column: 3),
            BadLine(text: "m", problem: .invalidValue, column: 2),
            BadLine(text: "m 1 17000x", problem: .invalidTimestamp, column: 5),
            BadLine(text: "m 1 2 3", problem: .unexpectedText, column: 7),
            BadLine(text: "# TYPE m sometimes", problem: .invalidMetadata, column: 10),
            BadLine(text: "ok 1", problem: .duplicateSeries, column: 1),
            // A label name may appear once per series (the same name repeated is not a new label set).
            BadLine(text: "m{gpu=\"0\",UUID=\"GPU-1\",gpu=\"1\"} 3", problem: .invalidLabel, column: 24),
        ])
    func badLines(_ row: BadLine) throws {
        var parser = ExpositionParser()
        let result = try parser.parse("ok 1\n\(row.text)\nlast{x=\"y\"} 2\n")
        #expect(result.skipped[row.problem] == 1, "\(result.issues)")
        let issue = try #require(result.issues.first)
        #expect(issue.line == 2 && issue.column == row.column, "\(issue)")
        #expect(result.samples.map(\.name) == ["ok", "last"])
        var strict = ExpositionParser(options: .init(strict: true))
        #expect(throws: ParseIssue.self) { try strict.parse("ok 1\n\(row.text)\n") }
    }

    @Test("names that differ only in length or case are distinct labels; many labels are no false duplicate")
    func distinctLabelNames() throws {
        var parser = ExpositionParser(options: .init(strict: true))
        let names = (0..<200).map { "l\($0)" } + ["gpu", "GPU", "gpu_", "Hostname", "hostname"]
        let body = "m{" + names.map { "\($0)=\"v\"" }.joined(separator: ",") + "} 1\n"
        let result = try parser.parse(body)
        #expect(result.samples.first?.labels.count == names.count)
    }

    @Test("# UNIT is metadata in OpenMetrics only; in text 0.0.4 it is a comment")
    func unitOnlyInOpenMetrics() throws {
        var parser = ExpositionParser(options: .init(format: .prometheus, strict: true))
        let text = try parser.parse("# UNIT m seconds\n# UNIT m seconds\nm 1\n")
        #expect(text.families.first?.unit == nil)
        var openMetrics = ExpositionParser(options: .init(format: .openMetrics, strict: true))
        #expect(try openMetrics.parse("# UNIT m seconds\nm 1\n# EOF\n").families.first?.unit == "seconds")
    }

    @Test("invalid UTF-8 in a label value is a named problem")
    func invalidUTF8() throws {
        var parser = ExpositionParser()
        var bytes = Array("a{x=\"".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\"} 1\nb 2\n".utf8)
        let result = try parser.parse(bytes)
        #expect(result.skipped[.invalidUTF8] == 1)
        #expect(result.samples.map(\.name) == ["b"])
    }

    @Test("a truncated body keeps every complete line and names the cut one")
    func truncated() throws {
        var parser = ExpositionParser()
        let result = try parser.parse("a 1\nb 2\nc{gpu=\"0\"} 4")
        #expect(result.samples.map(\.name) == ["a", "b"])
        #expect(result.skipped[.truncated] == 1)
    }

    @Test("the series limit keeps the first N series and counts the rest")
    func seriesLimit() throws {
        var parser = ExpositionParser(options: .init(maximumSeries: 1000))
        let body = (0..<5000).map { "m{id=\"\($0)\"} 1\n" }.joined()
        let result = try parser.parse(body)
        #expect(result.sampleCount == 1000)
        #expect(result.skipped[.seriesLimit] == 4000)
        #expect(result.issues.count == 100)
    }

    @Test("OpenMetrics without # EOF, and text after it, are reported")
    func eof() throws {
        var parser = ExpositionParser(options: .init(format: .openMetrics))
        #expect(try parser.parse("a 1\n").skipped[.missingEOF] == 1)
        #expect(try parser.parse("a 1\n# EOF\nb 2\n").skipped[.textAfterEOF] == 1)
    }

    @Test("writer round trip: every fixture parses, writes and parses back to the same samples")
    func roundTrip() throws {
        for file in Self.fixtureFiles {
            var parser = ExpositionParser()
            let original = try parser.parse(Array(try Data(contentsOf: file)))
            for format in [ExpositionFormat.prometheus, .openMetrics] {
                let text = ExpositionWriter.write(original.families, format: format)
                var again = ExpositionParser(options: .init(format: format, strict: true))
                let reparsed = try again.parse(text)
                #expect(reparsed.sampleCount == original.sampleCount, "\(file.lastPathComponent) \(format)")
                for (a, b) in zip(reparsed.samples, original.samples) {
                    #expect(a.name == b.name && a.labels == b.labels && (a.value == b.value || (a.value.isNaN && b.value.isNaN)))
                }
            }
        }
    }

    @Test("found by fuzzing and review: a NUL inside a number, an exponent past six digits, # EOF without a newline")
    func fuzzFindings() throws {
        var parser = ExpositionParser()
        let nul = try parser.parse(Array("a 1".utf8) + [0] + Array("x\nb 2\n".utf8))
        #expect(nul.skipped == [.invalidValue: 1] && nul.samples.map(\.name) == ["b"])
        let tiny = "a 0." + String(repeating: "0", count: 1000) + "1e1000000\n"
        #expect(try parser.parse(tiny).samples.first?.value == .infinity)  // 10^(1000000 - 1001): not 1.0
        var strict = ExpositionParser(options: .init(format: .openMetrics, strict: true))
        #expect(try strict.parse("# TYPE a gauge\na 1\n# EOF").sampleCount == 1)
    }
}
