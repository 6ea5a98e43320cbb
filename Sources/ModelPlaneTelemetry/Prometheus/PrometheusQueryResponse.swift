public import ModelPlaneCore

/// A Prometheus HTTP API answer to `/api/v1/query` (vector) or `/api/v1/query_range` (matrix), read with the
/// core JSON reader so a malformed answer is an error with line and column.
public struct PrometheusQueryResponse: Sendable {
    public enum ResultType: String, Sendable {
        case vector, matrix, scalar, string
    }

    /// One point: time in ms since the epoch (`round(seconds × 1000)`, exact for the API's millisecond
    /// timestamps) and the value as Prometheus wrote it (a string, so sentinels survive) and parsed.
    public struct Point: Sendable, Equatable {
        public var milliseconds: Int64
        public var value: Double
        public var text: String

        public init(milliseconds: Int64, value: Double, text: String) {
            self.milliseconds = milliseconds
            self.value = value
            self.text = text
        }
    }

    public struct Series: Sendable {
        /// `__name__`, when the query kept it (an aggregation drops it).
        public var name: String?
        /// The other labels, byte-sorted by name as Prometheus returns them.
        public var labels: [Label]
        /// Ascending in time: one point for a vector, many for a matrix.
        public var points: [Point]
    }

    public var resultType: ResultType
    public var series: [Series]
    public var warnings: [String]

    /// Reads a response body. `source` names it in errors (a URL or a file).
    public static func parse(_ text: String, source: String) throws(InputError) -> PrometheusQueryResponse {
        let root = try JSONReader.parse(text, source: source)
        guard case .object(let top) = root else { throw InputError(source, "found \(root.kindName)", expected: "a JSON object") }
        guard case .string(let status)? = top["status"] else {
            throw InputError("\(source): status", "missing", expected: "\"success\" or \"error\"")
        }
        if status != "success" {
            var detail = "status \"\(status)\""
            if case .string(let type)? = top["errorType"] { detail += ", \(type)" }
            if case .string(let error)? = top["error"] { detail += ": \(error)" }
            throw InputError(source, "Prometheus answered with an error (\(detail))")
        }
        var warnings: [String] = []
        if case .array(let items)? = top["warnings"] {
            for case .string(let warning) in items { warnings.append(warning) }
        }
        guard case .object(let data)? = top["data"] else { throw InputError("\(source): data", "missing", expected: "an object") }
        guard case .string(let typeName)? = data["resultType"], let type = ResultType(rawValue: typeName) else {
            throw InputError("\(source): data.resultType", "missing or unknown", expected: "vector, matrix, scalar or string")
        }
        guard case .array(let results)? = data["result"] else { throw InputError("\(source): data.result", "missing", expected: "a list") }
        var series: [Series] = []
        switch type {
        case .vector, .matrix:
            series.reserveCapacity(results.count)
            for (index, item) in results.enumerated() {
                let path = "\(source): data.result[\(index)]"
                guard case .object(let fields) = item, case .object(let metric)? = fields["metric"] else {
                    throw InputError(path, "missing metric", expected: "an object with metric and value/values")
                }
                var name: String?
                var labels: [Label] = []
                for (key, value) in metric {
                    guard case .string(let text) = value else {
                        throw InputError("\(path).metric.\(key)", "found \(value.kindName)", expected: "a string")
                    }
                    if key == "__name__" { name = text } else { labels.append(Label(key, text)) }
                }
                labels.sort { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
                var points: [Point] = []
                if type == .vector {
                    guard let value = fields["value"] else { throw InputError("\(path).value", "missing", expected: "[time, \"value\"]") }
                    points.append(try point(value, path: "\(path).value"))
                } else {
                    guard case .array(let values)? = fields["values"] else {
                        throw InputError("\(path).values", "missing", expected: "a list of [time, \"value\"]")
                    }
                    for (position, value) in values.enumerated() { points.append(try point(value, path: "\(path).values[\(position)]")) }
                    points.sort { $0.milliseconds < $1.milliseconds }
                }
                series.append(Series(name: name, labels: labels, points: points))
            }
        case .scalar, .string:
            let point = try point(.array(results), path: "\(source): data.result")
            series.append(Series(name: nil, labels: [], points: [point]))
        }
        return PrometheusQueryResponse(resultType: type, series: series, warnings: warnings)
    }

    private static func point(_ value: ConfigValue, path: String) throws(InputError) -> Point {
        guard case .array(let pair) = value, pair.count == 2, case .number(let seconds) = pair[0], case .string(let text) = pair[1] else {
            throw InputError(path, "found \(value.kindName)", expected: "[unix seconds, \"value\"]")
        }
        guard seconds.isFinite, abs(seconds) < 9.2e12 else { throw InputError(path, "timestamp \(seconds) out of range") }
        let parsed: Double
        switch text {
        case "NaN": parsed = .nan
        case "+Inf", "Inf": parsed = .infinity
        case "-Inf": parsed = -.infinity
        default:
            guard let number = Double(text) else { throw InputError(path, "value \"\(text)\" is not a number", expected: "a decimal, NaN or ±Inf") }
            parsed = number
        }
        return Point(milliseconds: Int64((seconds * 1000).rounded()), value: parsed, text: text)
    }

    /// The newest point of every series as exposition samples (name, labels, value, timestamp).
    public var latestSamples: [Sample] {
        series.compactMap { series in
            guard let name = series.name, let point = series.points.last else { return nil }
            return Sample(name: name, labels: series.labels, value: point.value, timestampMilliseconds: point.milliseconds)
        }
    }

    /// Normalizes the newest point of every series, as one scrape.
    public func normalized(options: TelemetryNormalizer.Options = .init()) -> NormalizedScrape {
        var normalizer = TelemetryNormalizer(options: options)
        for series in series {
            guard let name = series.name, let point = series.points.last else { continue }
            let sample = Sample(name: name, labels: series.labels, value: point.value, timestampMilliseconds: point.milliseconds)
            normalizer.ingest(sample, integerToken: UInt64(point.text))
        }
        return normalizer.finish()
    }

    /// One normalized scrape per distinct timestamp of a matrix, oldest first.
    public func normalizedByTime(options: TelemetryNormalizer.Options = .init()) -> [(milliseconds: Int64, scrape: NormalizedScrape)] {
        var byTime: [Int64: TelemetryNormalizer] = [:]
        for series in series {
            guard let name = series.name else { continue }
            for point in series.points {
                let sample = Sample(name: name, labels: series.labels, value: point.value, timestampMilliseconds: point.milliseconds)
                byTime[point.milliseconds, default: TelemetryNormalizer(options: options)].ingest(sample, integerToken: UInt64(point.text))
            }
        }
        return byTime.keys.sorted().map { ($0, byTime[$0]!.result()) }
    }
}
