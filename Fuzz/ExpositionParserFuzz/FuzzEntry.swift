// libFuzzer target for the exposition parser and writer. Built and run by scripts/fuzz-parser, compiled into one
// module with Sources/ModelPlaneTelemetry/Exposition/*.swift; it uses only the public API.
//
// Every input is parsed as Prometheus text 0.0.4, as OpenMetrics 1.0 and with the format detected; lenient and
// strict; with a warm parser; with tiny keptIssues, maximumSeries and maximumLineBytes. The results are checked
// against each other and against facts computed from the bytes, and the families are written back with
// ExpositionWriter in both formats and parsed again. A broken invariant traps (fatalError), so libFuzzer keeps
// the input as a crash.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    let lines = LineFacts(body)
    var results: [ExpositionFormat: ParseResult] = [:]
    // The limits to try, picked from the input so that a crash reproduces: one of each per format, not all.
    let selector = body.count &+ 31 &* Int(body.first ?? 0) &+ 961 &* Int(body.last ?? 0)
    let limits = Limits(keptIssues: selector % 3, maximumSeries: selector / 3 % 5, maximumLineBytes: [0, 1, 12, 40, 200][selector / 15 % 5])
    for format in [ExpositionFormat.prometheus, .openMetrics] {
        results[format] = checkParses(body, format: format, lines: lines, limits: limits)
    }
    // Detection: with no format given, the parser uses `detect` and gives what that format gives.
    let detected = ExpositionFormat.detect(body)
    var detecting = ExpositionParser(options: .init())
    let result = parseLeniently(&detecting, body, "detected format")
    require(result.format == detected, "format \(result.format) but detect() says \(detected)")
    require(sameResult(result, results[detected]!), "a parse with the format detected differs from one with \(detected) given")
    for parsed in [ExpositionFormat.prometheus, .openMetrics] {
        for written in [ExpositionFormat.prometheus, .openMetrics] {
            checkRoundTrip(results[parsed]!, parsedAs: parsed, writtenAs: written)
        }
    }
    checkNumbers(body)
    return 0
}

// MARK: - invariants

/// Parses `body` in every mode for one format; returns the lenient result with default options.
private func checkParses(_ body: [UInt8], format: ExpositionFormat, lines: LineFacts, limits: Limits) -> ParseResult {
    let options = ExpositionParser.Options(format: format)
    var parser = ExpositionParser(options: options)
    let lenient = parseLeniently(&parser, body, "\(format)")
    checkShape(lenient, options: options, lines: lines)

    // A warm parser (strings already interned) gives the same result.
    let again = parseLeniently(&parser, body, "\(format), second parse")
    require(sameResult(again, lenient), "\(format): a second parse with the same parser differs")

    // Strict mode throws exactly the first problem lenient mode records, or succeeds where lenient skips nothing.
    var strictParser = ExpositionParser(options: .init(format: format, strict: true))
    do {
        let strict = try strictParser.parse(body)
        require(lenient.skippedCount == 0, "\(format): strict parse succeeded but lenient skipped \(lenient.skipped)")
        require(sameResult(strict, lenient), "\(format): strict and lenient results differ on a clean body")
    } catch {
        require(lenient.issues.first == error, "\(format): strict threw \(error), lenient first recorded \(String(describing: lenient.issues.first))")
    }

    // keptIssues bounds only the issue list.
    do {
        let kept = limits.keptIssues
        var keeping = ExpositionParser(options: .init(format: format, keptIssues: kept))
        let result = parseLeniently(&keeping, body, "\(format), keptIssues \(kept)")
        checkShape(result, options: keeping.options, lines: lines, samples: false)
        require(result.issues == Array(lenient.issues.prefix(kept)), "\(format), keptIssues \(kept): issues are not a prefix")
        require(result.skipped == lenient.skipped, "\(format), keptIssues \(kept): skipped counts differ")
        require(sameFamilies(result.families, lenient.families), "\(format), keptIssues \(kept): families differ")
    }

    // The series limit keeps the first N series; every other line is skipped as it was without the limit.
    do {
        let limit = limits.maximumSeries
        var limited = ExpositionParser(options: .init(format: format, maximumSeries: limit))
        let result = parseLeniently(&limited, body, "\(format), maximumSeries \(limit)")
        checkShape(result, options: limited.options, lines: lines)
        let context = "\(format), maximumSeries \(limit)"
        require(result.sampleCount == min(limit, lenient.sampleCount), "\(context): \(result.sampleCount) of \(lenient.sampleCount) samples kept")
        require(
            result.skippedCount == lenient.skippedCount + lenient.sampleCount - result.sampleCount,
            "\(context): skipped \(result.skipped), unlimited skipped \(lenient.skipped)")
        for problem in ParseProblem.allCases where problem != .seriesLimit && problem != .duplicateSeries {
            require(result.skipped[problem] == lenient.skipped[problem], "\(context): \(problem) count differs")
        }
        var unlimited: [[UInt8]: Sample] = [:]
        for sample in lenient.samples { unlimited[seriesKey(sample)] = sample }
        for sample in result.samples {
            guard let twin = unlimited[seriesKey(sample)] else { fail("\(context): kept a series the unlimited parse does not have") }
            require(sameSample(sample, twin, exact: true), "\(context): a kept sample differs from the unlimited parse")
        }
    }

    // The line limit skips exactly the longer lines; with none longer, nothing changes.
    do {
        let limit = limits.maximumLineBytes
        var short = ExpositionParser(options: .init(format: format, maximumLineBytes: limit))
        let result = parseLeniently(&short, body, "\(format), maximumLineBytes \(limit)")
        checkShape(result, options: short.options, lines: lines)
        if lines.longest <= limit {
            require(sameResult(result, lenient), "\(format), maximumLineBytes \(limit): no line is longer, yet the result differs")
        }
    }
    return lenient
}

/// What must hold of any lenient result. `samples: false` leaves out the per-family and per-sample checks (for a
/// result whose families equal those of a checked one).
private func checkShape(_ result: ParseResult, options: ExpositionParser.Options, lines: LineFacts, samples: Bool = true) {
    let context = Context {
        "\(result.format), strict \(options.strict), maximumSeries \(options.maximumSeries), "
            + "maximumLineBytes \(options.maximumLineBytes), keptIssues \(options.keptIssues)"
    }
    require(result.format == options.format ?? result.format, "\(context()): result format \(result.format)")
    require(result.sampleCount == result.families.reduce(0) { $0 + $1.samples.count }, "\(context()): sampleCount is not the sum of the families")
    require(result.samples.count == result.sampleCount, "\(context()): samples.count differs from sampleCount")
    require(result.sampleCount <= options.maximumSeries, "\(context()): more samples than the series limit")
    require(result.skipped.values.allSatisfy { $0 > 0 }, "\(context()): a zero count in skipped")
    require(
        result.issues.count == min(result.skippedCount, options.keptIssues),
        "\(context()): \(result.issues.count) issues kept of \(result.skippedCount)")
    for problem in ParseProblem.allCases {
        let kept = result.issues.filter { $0.problem == problem }.count
        require(kept <= result.skipped[problem, default: 0], "\(context()): more \(problem) issues kept than counted")
    }
    // A line gives at most one sample or one issue; `missingEOF` is the only issue past the last line.
    let missingEOF = result.skipped[.missingEOF, default: 0]
    require(result.sampleCount + result.skippedCount - missingEOF <= lines.count, "\(context()): more samples and issues than lines")
    var previousLine = 0
    for issue in result.issues {
        require(issue.line > previousLine, "\(context()): two issues on one line, or out of order")
        previousLine = issue.line
        require(issue.line >= 1 && issue.column >= 1, "\(context()): issue at line \(issue.line), column \(issue.column)")
        if issue.problem == .missingEOF {
            require(issue.line == lines.count + 1 && issue.column == 1, "\(context()): missing # EOF reported at line \(issue.line)")
        } else {
            require(issue.line <= lines.count, "\(context()): issue on line \(issue.line) of \(lines.count)")
            require(issue.column <= lines.lengths[issue.line - 1] + 1, "\(context()): column \(issue.column) past the end of line \(issue.line)")
        }
    }
    let tooLong = lines.lengths.filter { $0 > options.maximumLineBytes }.count
    require(
        result.skipped[.lineTooLong, default: 0] == tooLong,
        "\(context()): \(tooLong) lines too long, \(result.skipped[.lineTooLong, default: 0]) counted")
    // OpenMetrics allows the final `# EOF` without a newline; anything else unterminated is a truncated body.
    let truncated =
        lines.lastUnterminated && !lines.lastIsBlank && lines.lengths.last! <= options.maximumLineBytes
        && !(result.format == .openMetrics && lines.lastIsEOF)
    require(result.skipped[.truncated, default: 0] == (truncated ? 1 : 0), "\(context()): truncated count \(result.skipped[.truncated, default: 0])")
    require(missingEOF <= 1, "\(context()): missing # EOF counted twice")
    if result.format == .prometheus {
        require(result.skipped[.missingEOF] == nil && result.skipped[.textAfterEOF] == nil, "\(context()): # EOF problems in 0.0.4")
        require(result.samples.allSatisfy { $0.exemplar == nil }, "\(context()): an exemplar in 0.0.4")
    }

    guard samples else { return }
    var familyNames = Set<[UInt8]>()
    var series = Set<[UInt8]>()
    for family in result.families {
        require(isMetricName(family.name), "\(context()): family name \(family.name)")
        require(familyNames.insert(Array(family.name.utf8)).inserted, "\(context()): two families named \(family.name)")
        for sample in family.samples {
            require(belongs(sample.name, to: family.name), "\(context()): sample \(sample.name) in family \(family.name)")
            require(sample.labels.allSatisfy { isLabelName($0.name) }, "\(context()): a label name in \(sample.name)")
            require(series.insert(seriesKey(sample)).inserted, "\(context()): series \(sample.name) kept twice")
            if let exemplar = sample.exemplar {
                require(exemplar.labels.allSatisfy { isLabelName($0.name) }, "\(context()): an exemplar label name in \(sample.name)")
                require(exemplar.timestamp?.isFinite ?? true, "\(context()): an exemplar timestamp that is not finite")
            }
        }
    }
}

/// Writes what one format parsed in either format; the writer's output parses strictly to the same samples.
private func checkRoundTrip(_ original: ParseResult, parsedAs parsed: ExpositionFormat, writtenAs written: ExpositionFormat) {
    let context = "parsed as \(parsed), written as \(written)"
    // OpenMetrics writes timestamps as double seconds; past 10^15 ms (2^50) they need not come back to the same
    // millisecond, and past 9.2·10^18 ms the parser rejects them. Those are dropped before writing.
    var families = original.families
    if written == .openMetrics {
        for family in families.indices {
            for sample in families[family].samples.indices
            where families[family].samples[sample].timestampMilliseconds?.magnitude ?? 0 > 1_000_000_000_000_000 {
                families[family].samples[sample].timestampMilliseconds = nil
            }
        }
    }
    let text = ExpositionWriter.write(families, format: written)
    var parser = ExpositionParser(options: .init(format: written, strict: true))
    let again: ParseResult
    do {
        again = try parser.parse(Array(text.utf8))
    } catch {
        fail("\(context): the writer's output does not parse: \(error)\n\(text)")
    }
    require(again.families.count == families.count, "\(context): \(again.families.count) families, wrote \(families.count)")
    for (back, family) in zip(again.families, families) {
        require(family.name.utf8.elementsEqual(back.name.utf8), "\(context): family \(family.name) came back as \(back.name)")
        require(back.type == writtenType(family.type, written), "\(context): \(family.name) type \(family.type) came back as \(back.type)")
        // Known gap: a HELP or UNIT text that ends in CR (from a line ending "\r\r\n") is written with the CR raw,
        // and the parser drops a CR before LF, so one trailing CR (and, for UNIT, then trailing blanks) is lost.
        require(sameText(back.help, family.help.map(droppingTrailingCR)), "\(context): \(family.name) help changed")
        let unit = written == .openMetrics ? family.unit.map { trimmingBlanks(droppingTrailingCR($0)) } : nil
        require(sameText(back.unit, unit), "\(context): \(family.name) unit changed")
        require(back.samples.count == family.samples.count, "\(context): \(family.name) sample count changed")
        for (sample, source) in zip(back.samples, family.samples) {
            var expected = source
            if written == .prometheus { expected.exemplar = nil }
            require(sameSample(sample, expected, exact: false), "\(context): sample \(source.name) changed:\n\(text)")
        }
    }
}

/// Decimal number tokens from the input parse to the correctly rounded double, the one `Double(String)` gives.
private func checkNumbers(_ body: [UInt8]) {
    var tokens: [[UInt8]] = []
    var start = 0
    for end in 0...body.count where end == body.count || [0x20, 0x09, 0x0A, 0x0D, 0x7B, 0x7D, 0x22, 0x2C].contains(body[end]) {
        if end > start, end - start <= 64, isDecimal(body[start..<end]) { tokens.append(Array(body[start..<end])) }
        start = end + 1
        if tokens.count == 16 { break }
    }
    guard !tokens.isEmpty else { return }
    var text: [UInt8] = []
    for (index, token) in tokens.enumerated() { text += Array("v{i=\"\(index)\"} ".utf8) + token + [0x0A] }
    var parser = ExpositionParser(options: .init(format: .prometheus, strict: true))
    let result: ParseResult
    do {
        result = try parser.parse(text)
    } catch {
        fail("decimal tokens do not parse: \(error)")
    }
    require(result.sampleCount == tokens.count, "decimal tokens: \(result.sampleCount) samples of \(tokens.count)")
    for (sample, token) in zip(result.samples, tokens) {
        let string = String(decoding: token, as: UTF8.self)
        guard let reference = Double(string) else { continue }
        require(sample.value.bitPattern == reference.bitPattern, "\(string) parsed as \(sample.value), Double(String) gives \(reference)")
    }
}

// MARK: - helpers

/// The small limits one input is parsed with.
private struct Limits {
    var keptIssues: Int
    var maximumSeries: Int
    var maximumLineBytes: Int
}

/// Facts about the body's lines as the parser splits them: at LF, one trailing CR dropped.
private struct LineFacts {
    var lengths: [Int] = []
    var lastUnterminated = false
    var lastIsBlank = true
    var lastIsEOF = false
    var count: Int { lengths.count }
    var longest: Int { lengths.max() ?? 0 }

    init(_ body: [UInt8]) {
        var start = 0
        while start < body.count {
            var end = start
            while end < body.count, body[end] != 0x0A { end += 1 }
            var contentEnd = end
            if contentEnd > start, body[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            lengths.append(contentEnd - start)
            lastUnterminated = end == body.count
            lastIsBlank = body[start..<contentEnd].allSatisfy { $0 == 0x20 || $0 == 0x09 }
            lastIsEOF = body[start..<contentEnd].elementsEqual("# EOF".utf8)
            start = end + 1
        }
    }
}

/// A failure message's context, built only when an invariant breaks.
private struct Context {
    let make: () -> String
    init(_ make: @escaping () -> String) { self.make = make }
    func callAsFunction() -> String { make() }
}

private func parseLeniently(_ parser: inout ExpositionParser, _ body: [UInt8], _ context: String) -> ParseResult {
    do {
        return try parser.parse(body)
    } catch {
        fail("\(context): lenient parse threw \(error)")
    }
}

private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fail(message()) }
}

private func fail(_ message: String) -> Never {
    fatalError("ExpositionParserFuzz invariant: \(message)")
}

private let suffixes = ["", "_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"]

/// The sample is named as its family, or that name with a suffix the parser knows.
private func belongs(_ sample: String, to family: String) -> Bool {
    guard sample.utf8.starts(with: family.utf8) else { return false }
    let rest = sample.utf8.dropFirst(family.utf8.count)
    return suffixes.contains { rest.elementsEqual($0.utf8) }
}

private func isMetricName(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard let first = bytes.first, isLetter(first) || first == 0x3A else { return false }
    return bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == 0x3A }
}

private func isLabelName(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard let first = bytes.first, isLetter(first) else { return false }
    return bytes.allSatisfy { isLetter($0) || isDigit($0) }
}

/// ASCII letters and `_`.
private func isLetter(_ byte: UInt8) -> Bool {
    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F
}

private func isDigit(_ byte: UInt8) -> Bool {
    byte >= 0x30 && byte <= 0x39
}

/// `[+-]?(digits[.digits?] | .digits)([eE][+-]?digits)?`
private func isDecimal(_ token: ArraySlice<UInt8>) -> Bool {
    var bytes = token[...]
    if let first = bytes.first, first == 0x2B || first == 0x2D { bytes = bytes.dropFirst() }
    let integer = bytes.prefix(while: isDigit).count
    bytes = bytes.dropFirst(integer)
    var fraction = 0
    if bytes.first == 0x2E {
        bytes = bytes.dropFirst()
        fraction = bytes.prefix(while: isDigit).count
        bytes = bytes.dropFirst(fraction)
    }
    guard integer + fraction > 0 else { return false }
    if let marker = bytes.first, marker | 0x20 == 0x65 {
        bytes = bytes.dropFirst()
        if let sign = bytes.first, sign == 0x2B || sign == 0x2D { bytes = bytes.dropFirst() }
        let exponent = bytes.prefix(while: isDigit).count
        guard exponent > 0 else { return false }
        bytes = bytes.dropFirst(exponent)
    }
    return bytes.isEmpty
}

/// Name and label pairs as bytes, pairs sorted: the parser's notion of one series (bytes, not canonical Unicode).
private func seriesKey(_ sample: Sample) -> [UInt8] {
    let pairs = sample.labels.map { Array($0.name.utf8) + [0xFF] + Array($0.value.utf8) + [0xFF] }
    return Array(sample.name.utf8) + [0xFF] + pairs.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { $0 }
}

/// The type ExpositionWriter declares for a family in a format.
private func writtenType(_ type: MetricType, _ format: ExpositionFormat) -> MetricType {
    switch (format, type) {
    case (.prometheus, .unknown), (.prometheus, .info), (.prometheus, .stateset), (.prometheus, .gaugehistogram): return .untyped
    case (.openMetrics, .untyped): return .unknown
    default: return type
    }
}

/// The text less one trailing CR, as a line that ends in it reads back.
private func droppingTrailingCR(_ text: String) -> String {
    guard text.utf8.last == 0x0D else { return text }
    return String(decoding: text.utf8.dropLast(), as: UTF8.self)
}

/// Trailing spaces and tabs removed, Character by Character as the parser trims a UNIT.
private func trimmingBlanks(_ text: String) -> String {
    var trimmed = Substring(text)
    while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
    return String(trimmed)
}

private func sameText(_ a: String?, _ b: String?) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case (let a?, let b?): return a.utf8.elementsEqual(b.utf8)
    default: return false
    }
}

/// Exact: the same bits. Otherwise: equal as numbers (so -0 matches 0), or both NaN.
private func sameValue(_ a: Double, _ b: Double, exact: Bool) -> Bool {
    exact ? a.bitPattern == b.bitPattern : a == b || (a.isNaN && b.isNaN)
}

private func sameLabels(_ a: [Label], _ b: [Label]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { sameText($0.name, $1.name) && sameText($0.value, $1.value) }
}

private func sameSample(_ a: Sample, _ b: Sample, exact: Bool) -> Bool {
    guard sameText(a.name, b.name), sameLabels(a.labels, b.labels), sameValue(a.value, b.value, exact: exact) else { return false }
    guard a.timestampMilliseconds == b.timestampMilliseconds else { return false }
    switch (a.exemplar, b.exemplar) {
    case (nil, nil): return true
    case (let x?, let y?):
        guard sameLabels(x.labels, y.labels), sameValue(x.value, y.value, exact: exact) else { return false }
        switch (x.timestamp, y.timestamp) {
        case (nil, nil): return true
        case (let s?, let t?): return sameValue(s, t, exact: exact)
        default: return false
        }
    default: return false
    }
}

private func sameFamilies(_ a: [MetricFamily], _ b: [MetricFamily]) -> Bool {
    a.count == b.count
        && zip(a, b).allSatisfy { x, y in
            sameText(x.name, y.name) && x.type == y.type && sameText(x.help, y.help) && sameText(x.unit, y.unit)
                && x.samples.count == y.samples.count && zip(x.samples, y.samples).allSatisfy { sameSample($0, $1, exact: true) }
        }
}

private func sameResult(_ a: ParseResult, _ b: ParseResult) -> Bool {
    a.format == b.format && a.sampleCount == b.sampleCount && a.issues == b.issues && a.skipped == b.skipped && sameFamilies(a.families, b.families)
}
