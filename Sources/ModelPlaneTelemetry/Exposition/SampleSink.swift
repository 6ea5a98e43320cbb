/// Where the parser delivers each sample it accepts, as it accepts it.
///
/// A sink that keeps only what it needs (a normalizer keeps one value per device field) lets a large body be
/// parsed without holding every sample, and without making strings of labels it never reads.
public protocol SampleSink {
    /// One accepted sample. The view is valid only during the call.
    mutating func accept(_ sample: SampleView)
}

/// Where one label of the current line is in the body.
struct LabelRange {
    var nameStart: Int
    var nameEnd: Int
    var valueStart: Int
    var valueEnd: Int
    /// The value holds `\\`, `\"` or `\n` escapes (already checked) and must be unescaped.
    var escaped: Bool
}

/// One accepted sample, read in place: its labels become strings only when asked for (`label(_:)`, `labels`,
/// `sample`), through the parser's string table. Valid only during `SampleSink.accept`; keep `sample` instead.
public struct SampleView {
    /// The series name as written, suffix included.
    public let name: String
    public let value: Double
    public let timestampMilliseconds: Int64?
    public let exemplar: Exemplar?
    /// The family the sample was grouped into, and its declared type (`untyped`/`unknown` when no `# TYPE`).
    public let familyIndex: Int
    public let familyName: String
    public let familyType: MetricType
    /// An order-independent 64-bit hash of the label pairs: equal label sets hash equally, so a sink can cache
    /// what it derived from a label set (a device identity) across the families of one scrape. A collision
    /// between two distinct label sets has probability about n²/2⁶⁵ for n label sets.
    public let labelSetHash: UInt64
    /// 1-based line of the sample.
    public let line: Int
    /// The value exactly as written. Exporters such as dcgm-exporter write integer sentinels
    /// (`9223372036854775794`) that a Double cannot tell apart; read them from here.
    public let valueToken: UnsafeBufferPointer<UInt8>
    let buffer: UnsafeBufferPointer<UInt8>
    let labelRanges: UnsafeBufferPointer<LabelRange>
    let interner: UnsafeMutablePointer<StringInterner>

    /// How many labels the sample has.
    public var labelCount: Int { labelRanges.count }

    /// The value of label `name`, or nil when the sample does not carry it.
    public func label(_ name: String) -> String? {
        var name = name
        return name.withUTF8 { wanted in
            for range in labelRanges where range.nameEnd - range.nameStart == wanted.count {
                if memoryEqual(buffer.baseAddress! + range.nameStart, wanted.baseAddress, wanted.count) { return value(of: range) }
            }
            return nil
        }
    }

    /// Every label, in the order written.
    public var labels: [Label] {
        labelRanges.map { range in
            Label(interner.pointee.intern(UnsafeBufferPointer(rebasing: buffer[range.nameStart..<range.nameEnd])) ?? "", value(of: range))
        }
    }

    /// The sample as a value that may be kept.
    public var sample: Sample {
        Sample(name: name, labels: labels, value: value, timestampMilliseconds: timestampMilliseconds, exemplar: exemplar)
    }

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

    private func value(of range: LabelRange) -> String {
        let raw = UnsafeBufferPointer(rebasing: buffer[range.valueStart..<range.valueEnd])
        guard range.escaped else { return interner.pointee.intern(raw) ?? "" }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            if raw[index] == UInt8(ascii: "\\"), index + 1 < raw.count {
                let next = raw[index + 1]
                bytes.append(next == UInt8(ascii: "n") ? UInt8(ascii: "\n") : next)
                index += 2
            } else {
                bytes.append(raw[index])
                index += 1
            }
        }
        return bytes.withUnsafeBufferPointer { interner.pointee.intern($0) } ?? ""
    }
}

private func memoryEqual(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
    guard let rhs else { return count == 0 }
    for index in 0..<count where lhs[index] != rhs[index] { return false }
    return true
}

/// Keeps every sample, grouped by family: what `ExpositionParser.parse(_:)` returns.
public struct CollectingSink: SampleSink {
    public private(set) var samplesByFamily: [[Sample]] = []

    public init() {}

    public mutating func accept(_ sample: SampleView) {
        while samplesByFamily.count <= sample.familyIndex { samplesByFamily.append([]) }
        samplesByFamily[sample.familyIndex].append(sample.sample)
    }
}
