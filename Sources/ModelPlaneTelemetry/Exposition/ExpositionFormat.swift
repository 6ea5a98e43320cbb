/// The two text formats exporters speak.
public enum ExpositionFormat: String, Sendable {
    /// Prometheus text format 0.0.4: timestamps in milliseconds, no `# EOF`.
    case prometheus
    /// OpenMetrics 1.0: `# UNIT`, exemplars, timestamps in seconds, `# EOF` required.
    case openMetrics = "openmetrics"

    /// The format a `Content-Type` header names, when it names one.
    public init?(contentType: String) {
        let lowered = contentType.lowercased()
        if lowered.contains("application/openmetrics-text") {
            self = .openMetrics
        } else if lowered.contains("text/plain") {
            self = .prometheus
        } else {
            return nil
        }
    }

    /// Guesses the format of a body: OpenMetrics ends with `# EOF`.
    public static func detect<Bytes: Collection<UInt8>>(_ body: Bytes) -> ExpositionFormat {
        var tail = Array(body.suffix(16))
        while let last = tail.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") { tail.removeLast() }
        return tail.suffix(5).elementsEqual("# EOF".utf8) ? .openMetrics : .prometheus
    }
}

/// Why a line was skipped (lenient mode) or the parse failed (strict mode).
public enum ParseProblem: String, Sendable, CaseIterable {
    case invalidMetricName = "invalid metric name"
    case invalidLabel = "invalid label"
    case unterminatedLabelValue = "unterminated label value"
    case invalidEscape = "invalid escape sequence"
    case invalidValue = "invalid sample value"
    case invalidTimestamp = "invalid timestamp"
    case invalidUTF8 = "invalid UTF-8"
    case invalidMetadata = "invalid HELP/TYPE/UNIT line"
    case unexpectedText = "unexpected text after the sample"
    case invalidExemplar = "invalid exemplar"
    case duplicateSeries = "duplicate series"
    case duplicateMetadata = "duplicate HELP/TYPE for a family"
    case seriesLimit = "series limit reached"
    case lineTooLong = "line too long"
    case truncated = "truncated body (no final newline)"
    case missingEOF = "OpenMetrics body without # EOF"
    case textAfterEOF = "text after # EOF"
}

/// A problem at a place in the body: 1-based line and column, and the start of the offending line.
public struct ParseIssue: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var problem: ParseProblem
    public var detail: String
    /// Up to 120 bytes of the line, for the operator.
    public var excerpt: String

    public var description: String {
        "line \(line), column \(column): \(problem.rawValue)\(detail.isEmpty ? "" : " (\(detail))"): \(excerpt)"
    }
}
