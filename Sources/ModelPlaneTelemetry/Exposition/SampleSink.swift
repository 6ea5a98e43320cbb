/// Where the parser delivers each sample it accepts, as it accepts it.
///
/// A sink that keeps only what it needs (a normalizer keeps one value per device field) lets a large body be
/// parsed without holding every sample: the label array of a sample it does not keep is reused for the next one.
public protocol SampleSink {
    /// One accepted sample. `context` carries what the parser knows beyond the sample itself.
    mutating func accept(_ sample: Sample, _ context: borrowing SampleContext)
}

/// What the parser knows about a sample besides its name, labels and value.
public struct SampleContext: ~Copyable {
    /// The family the sample was grouped into, and its declared type (`untyped`/`unknown` when no `# TYPE`).
    public let familyIndex: Int
    public let familyName: String
    public let familyType: MetricType
    /// An order-independent 64-bit hash of the label pairs: equal label sets hash equally, so a sink can cache
    /// what it derived from a label set (a device identity) across the families of one scrape.
    public let labelSetHash: UInt64
    /// 1-based line of the sample.
    public let line: Int
    /// The value exactly as written, valid only during `accept`. Exporters such as dcgm-exporter write integer
    /// sentinels (`9223372036854775794`) that a Double cannot tell apart; read them from here.
    public let valueToken: UnsafeBufferPointer<UInt8>

    /// The value token as an unsigned integer, when it is a plain decimal integer that fits 64 bits.
    public var integerToken: UInt64? {
        guard !valueToken.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in valueToken {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(UInt64(digit))
            if overflowA || overflowB { return nil }
            value = sum
        }
        return value
    }
}

/// Keeps every sample, grouped by family: what `ExpositionParser.parse(_:)` returns.
public struct CollectingSink: SampleSink {
    public private(set) var samplesByFamily: [[Sample]] = []

    public init() {}

    public mutating func accept(_ sample: Sample, _ context: borrowing SampleContext) {
        while samplesByFamily.count <= context.familyIndex { samplesByFamily.append([]) }
        samplesByFamily[context.familyIndex].append(sample)
    }
}
