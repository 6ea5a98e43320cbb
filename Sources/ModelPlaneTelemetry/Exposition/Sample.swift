/// The type a metric family declares (`# TYPE`), Prometheus text 0.0.4 and OpenMetrics 1.0.
public enum MetricType: String, Sendable, CaseIterable {
    case counter, gauge, histogram, summary, untyped, unknown, info, stateset, gaugehistogram
}

/// One label pair, in the order the exposition wrote it.
public struct Label: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An OpenMetrics exemplar attached to a sample (`# {trace_id="…"} 0.67 1.6e9`).
public struct Exemplar: Equatable, Sendable {
    public var labels: [Label]
    public var value: Double
    /// Seconds since the epoch, when given.
    public var timestamp: Double?

    public init(labels: [Label], value: Double, timestamp: Double? = nil) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}

/// One sample line: a series (name + labels) and its value.
public struct Sample: Equatable, Sendable {
    /// The series name as written, suffix included (`vllm:e2e_request_latency_seconds_bucket`).
    public var name: String
    public var labels: [Label]
    public var value: Double
    /// Milliseconds since the epoch, when the line carried a timestamp (OpenMetrics seconds are converted).
    public var timestampMilliseconds: Int64?
    public var exemplar: Exemplar?

    public init(name: String, labels: [Label], value: Double, timestampMilliseconds: Int64? = nil, exemplar: Exemplar? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestampMilliseconds = timestampMilliseconds
        self.exemplar = exemplar
    }

    /// The value of label `name`, or nil when the series does not carry it.
    public func label(_ name: String) -> String? {
        for label in labels where label.name == name { return label.value }
        return nil
    }

    /// The first of several label names present (exporters rename labels between versions: `Hostname` / `hostname`).
    public func label(anyOf names: String...) -> String? {
        for name in names { if let value = label(name) { return value } }
        return nil
    }
}

/// The samples of one metric family with its metadata.
public struct MetricFamily: Equatable, Sendable {
    public var name: String
    public var type: MetricType
    public var help: String?
    public var unit: String?
    /// The samples, when the parse kept them (`ExpositionParser.parse(_:)`); empty when they went to a sink.
    public var samples: [Sample]
    /// How many samples the family had in the body, whether or not they were kept.
    public var sampleCount: Int

    public init(name: String, type: MetricType = .untyped, help: String? = nil, unit: String? = nil, samples: [Sample] = []) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
        self.samples = samples
        self.sampleCount = samples.count
    }
}
