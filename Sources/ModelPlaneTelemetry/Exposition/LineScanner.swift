#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The byte-level scanner behind `ExpositionParser`: one pass over the body, one line at a time.
struct LineScanner<Sink: SampleSink> {
    let buffer: UnsafeBufferPointer<UInt8>
    /// The parser's string table, lent for the parse (a pointer, so sample views can intern through it too).
    let interner: UnsafeMutablePointer<StringInterner>
    var state: ParseState
    var sink: Sink
    /// Where the labels of the sample being parsed are in the buffer; the sink materializes them only if it asks.
    private var ranges: [LabelRange] = []
    private var lineNumber = 0
    private var lineStart = 0
    private var lineEnd = 0
    private var scratch: [UInt8] = []

    init(buffer: UnsafeBufferPointer<UInt8>, interner: UnsafeMutablePointer<StringInterner>, state: ParseState, sink: Sink) {
        self.buffer = buffer
        self.interner = interner
        self.state = state
        self.sink = sink
        ranges.reserveCapacity(32)
    }

    private static var newline: UInt8 { UInt8(ascii: "\n") }
    private static var space: UInt8 { UInt8(ascii: " ") }
    private static var tab: UInt8 { UInt8(ascii: "\t") }
    private static var hash: UInt8 { UInt8(ascii: "#") }
    private static var quote: UInt8 { UInt8(ascii: "\"") }
    private static var backslash: UInt8 { UInt8(ascii: "\\") }

    mutating func run() throws(ParseIssue) {
        var position = 0
        let count = buffer.count
        while position < count {
            lineNumber += 1
            lineStart = position
            let end: Int
            if let found = memchr(buffer.baseAddress! + position, Int32(Self.newline), count - position) {
                end = UnsafeRawPointer(found) - UnsafeRawPointer(buffer.baseAddress!)
            } else {
                end = count
            }
            let terminated = end < count
            position = end + 1
            lineEnd = end
            if lineEnd > lineStart, buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            if lineEnd - lineStart > state.options.maximumLineBytes {
                try fail(.lineTooLong, at: lineStart, "\(lineEnd - lineStart) bytes, limit \(state.options.maximumLineBytes)")
                continue
            }
            if !terminated {
                if isBlank(from: lineStart) { break }
                // OpenMetrics allows the final `# EOF` without a newline (`exposition = metricset HASH SP eof [ LF ]`).
                if state.format == .openMetrics, slice(lineStart, lineEnd).elementsEqual("# EOF".utf8) {
                    try parseLine()
                    break
                }
                try fail(.truncated, at: lineEnd, "the last line has no newline; a complete body ends with one")
                break
            }
            try parseLine()
        }
        if state.format == .openMetrics, !state.seenEOF {
            lineNumber += 1
            lineStart = count
            lineEnd = count
            try fail(.missingEOF, at: count, "")
        }
    }

    private func isBlank(from index: Int) -> Bool {
        var cursor = index
        while cursor < lineEnd {
            if buffer[cursor] != Self.space && buffer[cursor] != Self.tab { return false }
            cursor += 1
        }
        return true
    }

    private func excerpt() -> String {
        let end = min(lineEnd, lineStart + 120)
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[lineStart..<end]), as: UTF8.self)
    }

    private mutating func fail(_ problem: ParseProblem, at index: Int, _ detail: String = "") throws(ParseIssue) {
        try state.record(ParseIssue(line: lineNumber, column: index - lineStart + 1, problem: problem, detail: detail, excerpt: excerpt()))
    }

    private mutating func parseLine() throws(ParseIssue) {
        var index = lineStart
        skipBlanks(&index)
        if index == lineEnd { return }
        if state.seenEOF {
            try fail(.textAfterEOF, at: index)
            return
        }
        if buffer[index] == Self.hash {
            try parseComment(index + 1)
        } else {
            try parseSample(index)
        }
    }

    private func skipBlanks(_ index: inout Int) {
        while index < lineEnd, buffer[index] == Self.space || buffer[index] == Self.tab { index += 1 }
    }

    private func slice(_ from: Int, _ to: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: buffer[from..<to])
    }

    private func word(_ index: inout Int) -> (Int, Int) {
        let start = index
        while index < lineEnd, buffer[index] != Self.space, buffer[index] != Self.tab { index += 1 }
        return (start, index)
    }

    // MARK: metadata

    private mutating func parseComment(_ start: Int) throws(ParseIssue) {
        var index = start
        skipBlanks(&index)
        let (keywordStart, keywordEnd) = word(&index)
        let keyword = String(decoding: slice(keywordStart, keywordEnd), as: UTF8.self)
        // `# UNIT` is metadata only in OpenMetrics; in text 0.0.4 it is a comment like any other.
        guard ["HELP", "TYPE", "EOF"].contains(keyword) || (keyword == "UNIT" && state.format == .openMetrics) else { return }
        if keyword == "EOF" {
            if state.format == .openMetrics { state.seenEOF = true }
            return
        }
        skipBlanks(&index)
        let nameStart = index
        guard scanMetricName(&index), index > nameStart else {
            try fail(.invalidMetadata, at: nameStart, "expected a metric name after # \(keyword)")
            return
        }
        guard let name = interner.pointee.intern(slice(nameStart, index)) else {
            try fail(.invalidUTF8, at: nameStart)
            return
        }
        if index < lineEnd, buffer[index] != Self.space, buffer[index] != Self.tab {
            try fail(.invalidMetadata, at: index, "unexpected character in metric name")
            return
        }
        skipBlanks(&index)
        let key = keyword + " " + name
        if state.metadataSeen.contains(key) {
            try fail(.duplicateMetadata, at: nameStart, "second # \(keyword) for \(name)")
            return
        }
        state.metadataSeen.insert(key)
        switch keyword {
        case "TYPE":
            let text = String(decoding: slice(index, lineEnd), as: UTF8.self).trimmingTrailingBlanks()
            guard let type = MetricType(rawValue: text.lowercased()) else {
                try fail(.invalidMetadata, at: index, "unknown type \"\(text)\"")
                return
            }
            state.current = state.family(named: name, type: type)
        case "HELP":
            guard let help = unescapeHelp(index) else {
                try fail(.invalidUTF8, at: index)
                return
            }
            let family = state.family(named: name)
            state.families[family].help = help
            state.current = family
        default:  // UNIT
            let family = state.family(named: name)
            state.families[family].unit = String(decoding: slice(index, lineEnd), as: UTF8.self).trimmingTrailingBlanks()
            state.current = family
        }
    }

    private func unescapeHelp(_ start: Int) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lineEnd - start)
        var index = start
        while index < lineEnd {
            let byte = buffer[index]
            if byte == Self.backslash, index + 1 < lineEnd {
                let next = buffer[index + 1]
                if next == UInt8(ascii: "n") {
                    bytes.append(Self.newline)
                    index += 2
                    continue
                }
                if next == Self.backslash || next == Self.quote {
                    bytes.append(next)
                    index += 2
                    continue
                }
            }
            bytes.append(byte)
            index += 1
        }
        return bytes.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }
    }

    // MARK: samples

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F || byte == 0x3A
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (byte >= 0x30 && byte <= 0x39)
    }

    private func scanMetricName(_ index: inout Int) -> Bool {
        guard index < lineEnd, Self.isNameStart(buffer[index]) else { return false }
        index += 1
        while index < lineEnd, Self.isNameByte(buffer[index]) { index += 1 }
        return true
    }

    private mutating func parseSample(_ start: Int) throws(ParseIssue) {
        var index = start
        guard scanMetricName(&index) else {
            try fail(.invalidMetricName, at: index)
            return
        }
        let nameRange = slice(start, index)
        let nameHash = StringInterner.hash(nameRange)
        guard let name = interner.pointee.intern(nameRange, hash: nameHash) else {
            try fail(.invalidUTF8, at: start)
            return
        }
        var seriesHash = nameHash
        ranges.removeAll(keepingCapacity: true)
        var labelSetHash: UInt64 = 0
        let afterName = index
        skipBlanks(&index)
        if index < lineEnd, buffer[index] == UInt8(ascii: "{") {
            index += 1
            guard let labelHash = try scanLabels(&index) else { return }
            labelSetHash = labelHash
            seriesHash = seriesHash &+ labelHash
            skipBlanks(&index)
        } else if index == afterName, index < lineEnd {
            try fail(.invalidMetricName, at: index, "unexpected character in metric name")
            return
        }
        let (tokenStart, tokenEnd) = word(&index)
        guard tokenEnd > tokenStart, let value = parseDouble(slice(tokenStart, tokenEnd)) else {
            try fail(.invalidValue, at: tokenStart, tokenEnd > tokenStart ? String(decoding: slice(tokenStart, tokenEnd), as: UTF8.self) : "missing")
            return
        }
        skipBlanks(&index)
        var timestamp: Int64?
        var exemplar: Exemplar?
        if index < lineEnd, buffer[index] != Self.hash {
            let (stampStart, stampEnd) = word(&index)
            guard let parsed = parseTimestamp(slice(stampStart, stampEnd)) else {
                try fail(.invalidTimestamp, at: stampStart, String(decoding: slice(stampStart, stampEnd), as: UTF8.self))
                return
            }
            timestamp = parsed
            skipBlanks(&index)
        }
        if index < lineEnd, buffer[index] == Self.hash, state.format == .openMetrics {
            guard let parsed = try parseExemplar(&index) else { return }
            exemplar = parsed
            skipBlanks(&index)
        }
        if index < lineEnd {
            try fail(.unexpectedText, at: index)
            return
        }
        if state.seenSeries.count >= state.options.maximumSeries, !state.seenSeries.contains(seriesHash) {
            try fail(.seriesLimit, at: start, "limit \(state.options.maximumSeries)")
            return
        }
        guard state.seenSeries.insert(seriesHash) else {
            try fail(.duplicateSeries, at: start)
            return
        }
        let familyIndex = state.familyFor(sample: name)
        state.sampleCount += 1
        state.familySampleCounts[familyIndex] += 1
        ranges.withUnsafeBufferPointer { labelRanges in
            do {
                sink.accept(
                    SampleView(
                        name: name, value: value, timestampMilliseconds: timestamp, exemplar: exemplar, familyIndex: familyIndex,
                        familyName: state.families[familyIndex].name, familyType: state.families[familyIndex].type, labelSetHash: labelSetHash,
                        line: lineNumber,
                        valueToken: slice(tokenStart, tokenEnd), buffer: buffer, labelRanges: labelRanges, interner: interner))
            }
        }
    }

    /// Scans `name="value",...}` after the `{` into `ranges`, checking names, quoting, escapes and UTF-8 without
    /// making strings; returns an order-independent hash of the pairs, or nil after recording a problem.
    private mutating func scanLabels(_ index: inout Int) throws(ParseIssue) -> UInt64? {
        var combined: UInt64 = 0
        // One bit per label-name hash: a name whose bit is already set may repeat and is compared byte by byte.
        var namesSeen: UInt64 = 0
        let firstLabel = ranges.count
        while true {
            skipBlanks(&index)
            guard index < lineEnd else {
                try fail(.invalidLabel, at: index, "missing }")
                return nil
            }
            if buffer[index] == UInt8(ascii: "}") {
                index += 1
                return combined
            }
            let nameStart = index
            guard Self.isNameStart(buffer[index]), buffer[index] != 0x3A else {
                try fail(.invalidLabel, at: index, "expected a label name")
                return nil
            }
            while index < lineEnd, Self.isNameByte(buffer[index]), buffer[index] != 0x3A { index += 1 }
            let nameEnd = index
            skipBlanks(&index)
            guard index < lineEnd, buffer[index] == UInt8(ascii: "=") else {
                try fail(.invalidLabel, at: index, "expected = after the label name")
                return nil
            }
            index += 1
            skipBlanks(&index)
            guard index < lineEnd, buffer[index] == Self.quote else {
                try fail(.invalidLabel, at: index, "expected a quoted label value")
                return nil
            }
            index += 1
            let valueStart = index
            var escaped = false
            var highBits: UInt8 = 0
            // The first quote ends the value unless a backslash comes before it; then walk the escapes byte by byte.
            if index < lineEnd, let found = memchr(buffer.baseAddress! + index, Int32(Self.quote), lineEnd - index) {
                let quoteAt = UnsafeRawPointer(found) - UnsafeRawPointer(buffer.baseAddress!)
                var backslashes: UInt8 = 0
                for byte in slice(index, quoteAt) {
                    highBits |= byte
                    backslashes |= byte == Self.backslash ? 1 : 0
                }
                if backslashes == 0 {
                    index = quoteAt
                } else {
                    highBits = 0
                    escaped = true
                    while index < lineEnd, buffer[index] != Self.quote {
                        let byte = buffer[index]
                        highBits |= byte
                        if byte == Self.backslash { index += 1 }
                        index += 1
                    }
                }
            } else {
                index = lineEnd
            }
            guard index < lineEnd else {
                try fail(.unterminatedLabelValue, at: valueStart)
                return nil
            }
            let valueEnd = index
            index += 1
            if escaped, !unescapeLabelValue(valueStart, valueEnd) {
                try fail(.invalidEscape, at: valueStart)
                return nil
            }
            if highBits & 0x80 != 0, String(validating: slice(valueStart, valueEnd), as: UTF8.self) == nil {
                try fail(.invalidUTF8, at: valueStart, "in the value of label \(String(decoding: slice(nameStart, nameEnd), as: UTF8.self))")
                return nil
            }
            // The raw (escaped) bytes encode the value one-to-one, so hashing them identifies it.
            let nameHash = StringInterner.hash(slice(nameStart, nameEnd))
            let nameBit: UInt64 = 1 << (nameHash >> 58)
            if namesSeen & nameBit != 0, isRepeatedName(nameStart, nameEnd, after: firstLabel) {
                try fail(.invalidLabel, at: nameStart, "label \(String(decoding: slice(nameStart, nameEnd), as: UTF8.self)) appears twice")
                return nil
            }
            namesSeen |= nameBit
            let valueHash = StringInterner.hash(slice(valueStart, valueEnd)) ^ (nameHash &* 0x9E37_79B9_7F4A_7C15)
            combined = combined &+ mix(valueHash)
            ranges.append(LabelRange(nameStart: nameStart, nameEnd: nameEnd, valueStart: valueStart, valueEnd: valueEnd, escaped: escaped))
            skipBlanks(&index)
            if index < lineEnd, buffer[index] == UInt8(ascii: ",") { index += 1 }
        }
    }

    private func isRepeatedName(_ start: Int, _ end: Int, after first: Int) -> Bool {
        let name = slice(start, end)
        return ranges[first...].contains { $0.nameEnd - $0.nameStart == name.count && slice($0.nameStart, $0.nameEnd).elementsEqual(name) }
    }

    private func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Unescapes `\\`, `\"` and `\n` into `scratch`; false on any other escape.
    private mutating func unescapeLabelValue(_ start: Int, _ end: Int) -> Bool {
        scratch.removeAll(keepingCapacity: true)
        var index = start
        while index < end {
            let byte = buffer[index]
            if byte == Self.backslash {
                guard index + 1 < end else { return false }
                switch buffer[index + 1] {
                case Self.backslash: scratch.append(Self.backslash)
                case Self.quote: scratch.append(Self.quote)
                case UInt8(ascii: "n"): scratch.append(Self.newline)
                default: return false
                }
                index += 2
            } else {
                scratch.append(byte)
                index += 1
            }
        }
        return true
    }

    private mutating func parseExemplar(_ index: inout Int) throws(ParseIssue) -> Exemplar? {
        let start = index
        index += 1
        skipBlanks(&index)
        guard index < lineEnd, buffer[index] == UInt8(ascii: "{") else {
            try fail(.invalidExemplar, at: start, "expected # {labels} value")
            return nil
        }
        index += 1
        // The exemplar's labels are scanned after the sample's, then made into strings and dropped from `ranges`.
        let firstExemplarLabel = ranges.count
        guard try scanLabels(&index) != nil else { return nil }
        var exemplarLabels: [Label] = []
        for range in ranges[firstExemplarLabel...] {
            let name = interner.pointee.intern(slice(range.nameStart, range.nameEnd)) ?? ""
            var value: String?
            if range.escaped {
                _ = unescapeLabelValue(range.valueStart, range.valueEnd)
                value = scratch.withUnsafeBufferPointer { interner.pointee.intern($0) }
            } else {
                value = interner.pointee.intern(slice(range.valueStart, range.valueEnd))
            }
            exemplarLabels.append(Label(name, value ?? ""))
        }
        ranges.removeSubrange(firstExemplarLabel...)
        skipBlanks(&index)
        let (valueStart, valueEnd) = word(&index)
        guard valueEnd > valueStart, let value = parseDouble(slice(valueStart, valueEnd)) else {
            try fail(.invalidExemplar, at: valueStart, "exemplar value")
            return nil
        }
        skipBlanks(&index)
        var timestamp: Double?
        if index < lineEnd {
            let (stampStart, stampEnd) = word(&index)
            guard let seconds = parseDouble(slice(stampStart, stampEnd)), seconds.isFinite else {
                try fail(.invalidExemplar, at: stampStart, "exemplar timestamp")
                return nil
            }
            timestamp = seconds
        }
        return Exemplar(labels: exemplarLabels, value: value, timestamp: timestamp)
    }

    private func parseTimestamp(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        if state.format == .openMetrics {
            guard let seconds = parseDouble(bytes), seconds.isFinite, abs(seconds) < 9.2e15 else { return nil }
            return Int64((seconds * 1000).rounded())
        }
        var value: Int64 = 0
        var negative = false
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < bytes.count else { return nil }
        while index < bytes.count {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            index += 1
        }
        return negative ? -value : value
    }
}

extension String {
    func trimmingTrailingBlanks() -> String {
        var text = Substring(self)
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
