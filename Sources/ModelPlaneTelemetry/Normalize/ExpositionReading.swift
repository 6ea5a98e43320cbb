/// An exposition body parsed and normalized in one pass: what was parsed (families, skipped lines) and what it
/// means (devices and servers).
public struct ExpositionReading: Sendable {
    public var parse: ParseResult
    public var normalized: NormalizedScrape

    /// Parses `body` and normalizes it as it goes, without keeping the samples. `parser` keeps its string table
    /// between calls, so scraping the same target again allocates little.
    public static func read(
        _ body: UnsafeBufferPointer<UInt8>, parser: inout ExpositionParser, options: TelemetryNormalizer.Options = .init()
    ) throws(ParseIssue) -> ExpositionReading {
        var normalizer = TelemetryNormalizer(options: options)
        let parse = try parser.parse(body, into: &normalizer)
        return ExpositionReading(parse: parse, normalized: normalizer.finish())
    }

    /// Parses and normalizes a body held in an array.
    public static func read(
        _ body: [UInt8], parser: inout ExpositionParser, options: TelemetryNormalizer.Options = .init()
    ) throws(ParseIssue) -> ExpositionReading {
        try body.withUnsafeBufferPointer { (buffer) throws(ParseIssue) in try read(buffer, parser: &parser, options: options) }
    }
}
