/// What a parse produced: the families in exposition order, and every line it skipped and why.
public struct ParseResult: Sendable {
    public var format: ExpositionFormat
    public var families: [MetricFamily]
    /// The first `ExpositionParser.Options.keptIssues` skipped lines, in order.
    public var issues: [ParseIssue]
    /// How many lines were skipped per problem (all of them, not only those kept in `issues`).
    public var skipped: [ParseProblem: Int]
    public var sampleCount: Int

    public var skippedCount: Int { skipped.values.reduce(0, +) }

    /// Every sample of every family, in exposition order.
    public var samples: [Sample] { families.flatMap(\.samples) }
}

/// A streaming parser for Prometheus text format 0.0.4 and OpenMetrics 1.0 that works on bytes.
///
/// Lines are scanned in place; names and label strings are interned, so a repeated scrape of the same target
/// allocates only the sample arrays. Lenient mode (the default for scraping) skips a malformed line, counts it
/// and keeps the rest; strict mode throws the first problem with its line and column.
public struct ExpositionParser: Sendable {
    public struct Options: Sendable {
        /// The format, when the caller knows it (from `Content-Type`); nil detects it from the body.
        public var format: ExpositionFormat?
        /// Throw the first problem instead of skipping the line.
        public var strict: Bool
        /// Distinct series accepted from one body; the rest are skipped as `seriesLimit`.
        public var maximumSeries: Int
        /// Longest line accepted.
        public var maximumLineBytes: Int
        /// Skipped lines kept with their details (all are counted).
        public var keptIssues: Int

        public init(
            format: ExpositionFormat? = nil, strict: Bool = false, maximumSeries: Int = 1_000_000, maximumLineBytes: Int = 1 << 20,
            keptIssues: Int = 100
        ) {
            self.format = format
            self.strict = strict
            self.maximumSeries = maximumSeries
            self.maximumLineBytes = maximumLineBytes
            self.keptIssues = keptIssues
        }
    }

    public var options: Options
    var interner = StringInterner()

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Parses one exposition body, keeping every sample in its family.
    public mutating func parse(_ body: [UInt8]) throws(ParseIssue) -> ParseResult {
        var sink = CollectingSink()
        var result = try body.withUnsafeBufferPointer { (buffer) throws(ParseIssue) in try parse(buffer, into: &sink) }
        for (index, samples) in sink.samplesByFamily.enumerated() { result.families[index].samples = samples }
        return result
    }

    /// Parses text (convenience for tests and small bodies).
    public mutating func parse(_ text: String) throws(ParseIssue) -> ParseResult {
        try parse(Array(text.utf8))
    }

    /// Parses one exposition body, handing each accepted sample to `sink` as it goes. The families of the result
    /// carry their metadata and no samples (the sink has them); `sampleCount`, `issues` and `skipped` are complete.
    public mutating func parse<Sink: SampleSink>(_ body: UnsafeBufferPointer<UInt8>, into sink: inout Sink) throws(ParseIssue) -> ParseResult {
        let format = options.format ?? ExpositionFormat.detect(body)
        // The string table moves into the scanner and back, so a warm table is not copied on the first new string.
        let table = UnsafeMutablePointer<StringInterner>.allocate(capacity: 1)
        table.initialize(to: interner.take())
        var scanner = LineScanner(buffer: body, interner: table, state: ParseState(format: format, options: options), sink: sink)
        defer {
            interner = table.move()
            table.deallocate()
            sink = scanner.sink
        }
        try scanner.run()
        return scanner.state.result()
    }
}

/// Mutable accumulation during one parse.
struct ParseState {
    let format: ExpositionFormat
    let options: ExpositionParser.Options
    var families: [MetricFamily] = []
    var familySampleCounts: [Int] = []
    var familyIndex: [String: Int] = [:]
    var current: Int?
    var issues: [ParseIssue] = []
    var skipped: [ParseProblem: Int] = [:]
    var sampleCount = 0
    /// 64-bit hashes of the series seen (name + order-independent label pairs). A collision would drop a distinct
    /// series as a duplicate; at a million series its probability is about 3·10⁻⁸ per body.
    var seenSeries = HashedKeySet()
    var seenEOF = false
    var metadataSeen = Set<String>()

    init(format: ExpositionFormat, options: ExpositionParser.Options) {
        self.format = format
        self.options = options
    }

    mutating func family(named name: String, type: MetricType? = nil) -> Int {
        if let index = familyIndex[name] {
            if let type { families[index].type = type }
            return index
        }
        families.append(MetricFamily(name: name, type: type ?? (format == .openMetrics ? .unknown : .untyped)))
        familySampleCounts.append(0)
        familyIndex[name] = families.count - 1
        return families.count - 1
    }

    static let suffixes = ["_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"]

    /// The family a sample belongs to: the current family when the name is it or a suffixed form of it, else one
    /// declared under the name less a known suffix, else a new untyped family under the sample's name.
    mutating func familyFor(sample name: String) -> Int {
        if let current {
            let familyName = families[current].name
            if name == familyName { return current }
            if name.hasPrefix(familyName),
                Self.suffixes.contains(where: { name.utf8.count == familyName.utf8.count + $0.utf8.count && name.hasSuffix($0) })
            {
                return current
            }
        }
        if let index = familyIndex[name] { return index }
        for suffix in Self.suffixes where name.hasSuffix(suffix) {
            if let index = familyIndex[String(name.dropLast(suffix.count))] { return index }
        }
        return family(named: name)
    }

    mutating func record(_ issue: ParseIssue) throws(ParseIssue) {
        if options.strict { throw issue }
        skipped[issue.problem, default: 0] += 1
        if issues.count < options.keptIssues { issues.append(issue) }
    }

    func result() -> ParseResult {
        var families = families
        for index in families.indices { families[index].sampleCount = familySampleCounts[index] }
        return ParseResult(format: format, families: families, issues: issues, skipped: skipped, sampleCount: sampleCount)
    }
}
