/// The lengths of the rolling windows kept for every scalar stream.
public enum WindowLength: Int, Sendable, CaseIterable {
    case oneMinute, fiveMinutes, oneHour

    /// The window's length in milliseconds.
    public var milliseconds: Int64 {
        switch self {
        case .oneMinute: return 60_000
        case .fiveMinutes: return 300_000
        case .oneHour: return 3_600_000
        }
    }
}

/// Statistics of the samples in one window. `p50` and `p95` are the samples at 0-based rank ⌊q · (count − 1)⌋ of the
/// sorted window (exact for 1 and 5 minutes, within `RollingWindows.hourRelativeAccuracy` for the hour).
public struct WindowSummary: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    public var min: Double
    public var max: Double
    public var p50: Double
    public var p95: Double

    public init(count: Int, mean: Double, min: Double, max: Double, p50: Double, p95: Double) {
        self.count = count
        self.mean = mean
        self.min = min
        self.max = max
        self.p50 = p50
        self.p95 = p95
    }
}

/// Rolling 1-minute, 5-minute and 1-hour windows (count, mean, min, max, p50, p95) of one scalar stream, in bounded memory.
///
/// Memory: one byte array plus 32 inline bytes; 608 bytes all told (576 of them the array's malloc chunk) for a stream
/// sampled every 15 s for an hour with a few percent of noise. The array holds, in this order:
/// - a ring of raw samples, 8 bytes each: the value as `Float` and the time as an `Int32` millisecond offset from the
///   start of the newest sample's slot. It holds at least every sample less than 5 minutes older than the newest one;
///   older ones leave when room is needed or when a new slot starts. It grows 2 samples at a time (1/8 past 32) up to
///   `rawSampleCapacity`, and shrinks back when the rate drops (22 samples, 176 bytes, at 15 s).
/// - one record per closed 5-minute slot (slots are aligned to multiples of 5 minutes since the epoch), newest first, at
///   most 11: the slot number's low byte, sum (`Double`), min and max (`Float`), then a compact DDSketch of the slot: the
///   occupied bins' codes (as distances from the previous one) and counts, as varints behind their byte length, about 2
///   bytes per occupied bin. A record is 17 + 1 + 2 · bins bytes: ~30 at 15 s with a few percent of noise, at most ~60
///   when each of the slot's 20 samples falls in its own bin. The slot of the newest sample is not a record yet: its
///   samples are all in the ring, and are folded into a record when the next slot starts.
/// The array is sized exactly (plus 16 bytes), never with the doubling slack of `append`.
///
/// Windows (all sliding over (now − length, now], for `now` at or after the newest sample):
/// - 1 and 5 minutes are exact, computed from the ring: values are stored as `Float`, so they round to 24 significant
///   bits (relative 6e−8) and magnitudes beyond `Float.greatestFiniteMagnitude` clamp to it; the mean sums in `Double`.
/// - 1 hour is made of slots: it covers every sample from the start of the slot 11 slots before the one holding `now`
///   through `now` (12 slots: at least 55 and less than 60 minutes). Count, mean, min and max are exact over that span
///   (of the `Float`-rounded values); p50 and p95 come from the merged slot sketches and are within
///   `hourRelativeAccuracy` (1 %) of the exact rank-⌊q · (n − 1)⌋ sample, clamped to the exact min and max.
///
/// Past the cap: a stream sending more than `rawSampleCapacity` (512) samples in 5 minutes (above ~1.7 Hz) keeps only the
/// newest 512 raw samples, so its 1- and 5-minute windows describe only those. Nothing is lost from the hour: samples are
/// folded into their slot's record before they leave the ring. A slot sketch keeps at most `maximumBinsPerSlot` (64)
/// occupied bins; beyond that its lowest bins collapse into one, which can only hurt quantiles below p50 of a slot whose
/// values spread over more than 64 bins (a ratio of γ^64 ≈ 3.6 at 1 %). So a stream costs at most ~4 KB of ring plus
/// 11 records of at most ~0.5 KB, whatever its rate.
///
/// NaN and ±infinity are ignored, as are samples at or before the newest sample's time (out of order). A query with
/// `now` before the newest sample is answered from what is retained.
public struct RollingWindows: Sendable {
    /// Length of an hour slot, and how far back the raw ring reaches from the newest sample.
    public static let slotMilliseconds: Int64 = 300_000
    /// Slots in the hour window: the slot holding `now` and the 11 before it.
    public static let slotCount = 12
    /// Most raw samples kept for the 1- and 5-minute windows.
    public static let rawSampleCapacity = 512
    /// Most occupied bins in one slot's sketch.
    public static let maximumBinsPerSlot = 64
    /// Relative error of the hour window's p50 and p95.
    public static var hourRelativeAccuracy: Double { SlotSketch.mapping.relativeAccuracy }

    static let sampleStride = 8
    /// A record's period low byte, sum, min and max; the pairs' length follows.
    static let fixedHeaderBytes = 17
    static let growthSlack = 16

    /// The raw ring (`ringCapacity` samples) followed by the slot records, newest first.
    private var bytes: [UInt8] = []
    private var latestValue: Double = 0
    /// `Int64.min` until the first sample.
    private var latestMilliseconds: Int64 = .min
    private var ringCapacity: UInt16 = 0
    private var ringStart: UInt16 = 0
    private var ringCount: UInt16 = 0
    /// The oldest `foldedCount` samples of the ring are already counted in slot records.
    private var foldedCount: UInt16 = 0

    public init() {}

    /// The newest sample, exactly as given.
    public var latest: (value: Double, milliseconds: Int64)? {
        latestMilliseconds == .min ? nil : (latestValue, latestMilliseconds)
    }

    /// Inline plus heap bytes: this struct, and the array's malloc chunk (32-byte array header, capacity, malloc's 8 bytes).
    public var residentBytes: Int { MemoryLayout<Self>.size + heapBytes }

    var heapBytes: Int { arrayHeapBytes(capacity: bytes.capacity, stride: 1) }
    var rawSampleCount: Int { Int(ringCount) }
    /// Bytes used and allocated in the storage array, and the ring's capacity in samples.
    var storage: (count: Int, capacity: Int, ringCapacity: Int) { (bytes.count, bytes.capacity, Int(ringCapacity)) }
    var slotRecordCount: Int {
        let latest = latestPeriod
        return bytes.withUnsafeBytes { raw in
            var position = recordsStart
            var count = 0
            while position < raw.count {
                position = Self.readHeader(raw, at: position, latestPeriod: latest).end
                count += 1
            }
            return count
        }
    }

    /// Adds a sample; returns false (and changes nothing) for NaN, ±infinity, or a time at or before the newest sample's.
    @discardableResult
    public mutating func add(_ value: Double, at milliseconds: Int64) -> Bool {
        guard value.isFinite, milliseconds > latestMilliseconds else { return false }
        let period = Self.period(of: milliseconds)
        let cutoff = saturatingSubtract(milliseconds, Self.slotMilliseconds)
        if latestMilliseconds != .min && period != latestPeriod { rotate(to: period, cutoff: cutoff) }
        // From here on the ring's offsets are relative to the new sample's slot.
        if ringCount == ringCapacity { makeRoom(cutoff: cutoff, period: period) }
        let stored = Float(Swift.min(Swift.max(value, -Double(Float.greatestFiniteMagnitude)), Double(Float.greatestFiniteMagnitude)))
        let offset = Int32(truncatingIfNeeded: milliseconds - period * Self.slotMilliseconds)
        let position = Self.sampleOffset(Int(ringCount), start: Int(ringStart), capacity: Int(ringCapacity))
        bytes.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: stored, toByteOffset: position, as: Float.self)
            raw.storeBytes(of: offset, toByteOffset: position + 4, as: Int32.self)
        }
        ringCount += 1
        latestValue = value
        latestMilliseconds = milliseconds
        return true
    }

    /// The window's statistics, or nil when no sample falls in it. See the type's documentation for what each covers.
    public func summary(_ window: WindowLength, at now: Int64) -> WindowSummary? {
        guard latestMilliseconds != .min else { return nil }
        switch window {
        case .oneMinute, .fiveMinutes: return rawSummary(after: saturatingSubtract(now, window.milliseconds), through: now)
        case .oneHour: return hourSummary(at: now)
        }
    }

    // MARK: - Layout

    static func period(of milliseconds: Int64) -> Int64 {
        let quotient = milliseconds / slotMilliseconds
        return milliseconds % slotMilliseconds < 0 ? quotient - 1 : quotient
    }

    private var latestPeriod: Int64 { Self.period(of: latestMilliseconds) }
    /// Ring offsets are relative to the start of the newest sample's slot.
    private var base: Int64 { latestPeriod * Self.slotMilliseconds }
    private var recordsStart: Int { Int(ringCapacity) * Self.sampleStride }

    /// Byte offset of the `position`-th oldest ring sample (`position` < `capacity`).
    private static func sampleOffset(_ position: Int, start: Int, capacity: Int) -> Int {
        let index = start + position
        return (index >= capacity ? index - capacity : index) * sampleStride
    }

    // MARK: - Ring

    /// The ring is full. Expired samples (5 minutes or more before the one being added) leave lazily, here; when none has
    /// expired the ring grows, and at `rawSampleCapacity` the oldest sample leaves.
    private mutating func makeRoom(cutoff: Int64, period: Int64) {
        dropOldestSamples(countOfSamples(through: cutoff, base: period * Self.slotMilliseconds))
        guard ringCount == ringCapacity else { return }
        let capacity = Int(ringCapacity)
        if capacity < Self.rawSampleCapacity {
            rebuild(ringCapacity: Swift.min(Self.rawSampleCapacity, capacity < 32 ? capacity + 2 : capacity + capacity / 8))
        } else {
            // At the cap every sample in the ring belongs to the newest slot; count them in its record first.
            if foldedCount == 0 { foldUnfoldedSamples(into: period) }
            dropOldestSamples(1)
        }
    }

    /// How many of the oldest samples are at or before `cutoff`, with the ring's offsets relative to `base`.
    private func countOfSamples(through cutoff: Int64, base: Int64) -> Int {
        guard ringCount > 0 else { return 0 }
        let (start, capacity, count) = (Int(ringStart), Int(ringCapacity), Int(ringCount))
        return bytes.withUnsafeBytes { raw in
            var evicted = 0
            while evicted < count {
                let offset = raw.loadUnaligned(fromByteOffset: Self.sampleOffset(evicted, start: start, capacity: capacity) + 4, as: Int32.self)
                if base + Int64(offset) > cutoff { break }
                evicted += 1
            }
            return evicted
        }
    }

    private mutating func dropOldestSamples(_ count: Int) {
        guard count > 0 else { return }
        ringStart = UInt16((Int(ringStart) + count) % Int(ringCapacity))
        ringCount -= UInt16(count)
        foldedCount -= UInt16(Swift.min(count, Int(foldedCount)))
    }

    /// Re-expresses the ring's offsets against a new slot start. Only samples within 5 minutes of the new one remain, so
    /// every new offset lies in (−300 000, 300 000).
    private mutating func rebaseSamples(from oldBase: Int64, to newBase: Int64) {
        let (start, capacity, count) = (Int(ringStart), Int(ringCapacity), Int(ringCount))
        guard oldBase != newBase, count > 0 else { return }
        bytes.withUnsafeMutableBytes { raw in
            for position in 0..<count {
                let at = Self.sampleOffset(position, start: start, capacity: capacity) + 4
                let milliseconds = oldBase + Int64(raw.loadUnaligned(fromByteOffset: at, as: Int32.self))
                raw.storeBytes(of: Int32(truncatingIfNeeded: milliseconds - newBase), toByteOffset: at, as: Int32.self)
            }
        }
    }

    /// Copies the ring (oldest first, `newCapacity` slots) and the records into a new array of exactly the needed size
    /// (plus `growthSlack`), so the array never carries the doubling slack of `append`.
    private mutating func rebuild(ringCapacity newCapacity: Int) {
        let (start, capacity, count, recordsStart) = (Int(ringStart), Int(ringCapacity), Int(ringCount), self.recordsStart)
        var rebuilt: [UInt8] = []
        rebuilt.reserveCapacity(newCapacity * Self.sampleStride + bytes.count - recordsStart + Self.growthSlack)
        bytes.withUnsafeBytes { raw in
            for position in 0..<count {
                let at = Self.sampleOffset(position, start: start, capacity: capacity)
                rebuilt.append(contentsOf: raw[at..<(at + Self.sampleStride)])
            }
            rebuilt.append(contentsOf: repeatElement(0, count: (newCapacity - count) * Self.sampleStride))
            rebuilt.append(contentsOf: raw[recordsStart...])
        }
        bytes = rebuilt
        ringStart = 0
        ringCapacity = UInt16(newCapacity)
    }

    // MARK: - Slots

    /// The new sample starts a later slot: drop records that left the hour, fold the ring's unfolded samples (all from
    /// the previous slot) into its record, evict samples 5 minutes older than the new one and re-base the rest.
    private mutating func rotate(to period: Int64, cutoff: Int64) {
        let previous = latestPeriod
        let oldest = period &- Int64(Self.slotCount - 1)
        dropRecords(before: oldest)
        if ringCount > foldedCount && previous >= oldest { foldUnfoldedSamples(into: previous) }
        dropOldestSamples(countOfSamples(through: cutoff, base: previous * Self.slotMilliseconds))
        rebaseSamples(from: previous * Self.slotMilliseconds, to: period * Self.slotMilliseconds)
        foldedCount = ringCount
        trimIfWasteful()
    }

    private mutating func trimIfWasteful() {
        let (count, capacity) = (Int(ringCount), Int(ringCapacity))
        let target = count + Swift.max(2, count / 8)
        if 2 * target <= capacity {
            rebuild(ringCapacity: target)
        } else if bytes.capacity - bytes.count > Swift.max(64, bytes.count / 4) {
            rebuild(ringCapacity: capacity)
        }
    }

    /// Records are stored newest first, so the ones that left the hour are a suffix.
    private mutating func dropRecords(before oldest: Int64) {
        let (start, latest) = (recordsStart, latestPeriod)
        let keep = bytes.withUnsafeBytes { raw in
            var position = start
            while position < raw.count {
                let header = Self.readHeader(raw, at: position, latestPeriod: latest)
                if header.period < oldest { break }
                position = header.end
            }
            return position
        }
        if keep < bytes.count { bytes.removeSubrange(keep...) }
    }

    /// Counts the unfolded ring samples (all in slot `period`, the newest sample's) in that slot's record, creating it, or
    /// merging into it when the ring already overflowed during the slot.
    private mutating func foldUnfoldedSamples(into period: Int64) {
        let (start, capacity, first, count) = (Int(ringStart), Int(ringCapacity), Int(foldedCount), Int(ringCount))
        var record = SlotRecord(period: period)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: count - first) { buffer in
            var codes = buffer
            bytes.withUnsafeBytes { raw in
                for position in first..<count {
                    let value = raw.loadUnaligned(fromByteOffset: Self.sampleOffset(position, start: start, capacity: capacity), as: Float.self)
                    codes[position - first] = SlotSketch.code(value)
                    record.sum += Double(value)
                    record.lowest = Swift.min(record.lowest, value)
                    record.highest = Swift.max(record.highest, value)
                }
            }
            codes.sort()
            record.pairs = SlotSketch.pairs(sortedCodes: codes)
        }
        var replacing = 0
        if let newest = newestRecord(ofPeriod: period) {
            record.sum += newest.record.sum
            record.lowest = Swift.min(record.lowest, newest.record.lowest)
            record.highest = Swift.max(record.highest, newest.record.highest)
            record.pairs = SlotSketch.merged(record.pairs, newest.record.pairs)
            replacing = newest.length
        }
        SlotSketch.collapse(&record.pairs, toAtMost: Self.maximumBinsPerSlot)
        let (pairsLength, length) = Self.encodedLength(record)
        let needed = bytes.count - replacing + length
        if needed > bytes.capacity { bytes.reserveCapacity(needed + Self.growthSlack) }
        let range = recordsStart..<(recordsStart + replacing)
        withUnsafeTemporaryAllocation(byteCount: length, alignment: 1) { buffer in
            Self.encode(record, pairsLength: pairsLength, into: buffer)
            bytes.replaceSubrange(range, with: UnsafeRawBufferPointer(buffer))
        }
        foldedCount = ringCount
    }

    /// The newest record, decoded, when it is the one of slot `period`.
    private func newestRecord(ofPeriod period: Int64) -> (length: Int, record: SlotRecord)? {
        let (start, latest) = (recordsStart, latestPeriod)
        return bytes.withUnsafeBytes { raw in
            guard start < raw.count else { return nil }
            let header = Self.readHeader(raw, at: start, latestPeriod: latest)
            guard header.period == period else { return nil }
            var record = SlotRecord(period: header.period)
            record.sum = header.sum
            record.lowest = header.lowest
            record.highest = header.highest
            _ = Self.readPairs(raw, header, into: &record.pairs)
            return (header.end - start, record)
        }
    }

    /// Bytes of the record's pairs, and of the whole record.
    private static func encodedLength(_ record: SlotRecord) -> (pairs: Int, total: Int) {
        var pairs = 0
        var previous = SlotSketch.code(record.lowest)
        for pair in record.pairs {
            pairs += SlotSketch.varintLength(UInt64(pair.code - previous)) + SlotSketch.varintLength(pair.count)
            previous = pair.code
        }
        return (pairs, fixedHeaderBytes + SlotSketch.varintLength(UInt64(pairs)) + pairs)
    }

    /// Period low byte, sum (`Double`), min and max (`Float`), byte length of the pairs (varint), then per pair the code's
    /// distance from the previous one (from the min's code for the first) and the count, as varints.
    private static func encode(_ record: SlotRecord, pairsLength: Int, into buffer: UnsafeMutableRawBufferPointer) {
        buffer[0] = UInt8(truncatingIfNeeded: record.period)
        buffer.storeBytes(of: record.sum, toByteOffset: 1, as: Double.self)
        buffer.storeBytes(of: record.lowest, toByteOffset: 9, as: Float.self)
        buffer.storeBytes(of: record.highest, toByteOffset: 13, as: Float.self)
        var position = fixedHeaderBytes
        SlotSketch.writeVarint(UInt64(pairsLength), into: buffer, at: &position)
        var previous = SlotSketch.code(record.lowest)
        for pair in record.pairs {
            SlotSketch.writeVarint(UInt64(pair.code - previous), into: buffer, at: &position)
            SlotSketch.writeVarint(pair.count, into: buffer, at: &position)
            previous = pair.code
        }
    }

    private struct RecordHeader {
        var start: Int
        var period: Int64
        var sum: Double
        var lowest: Float
        var highest: Float
        var pairsStart: Int
        var end: Int
    }

    /// A record's period is stored as its low byte; every record is within 11 slots of the newest sample's.
    private static func readHeader(_ raw: UnsafeRawBufferPointer, at start: Int, latestPeriod: Int64) -> RecordHeader {
        let age = UInt8(truncatingIfNeeded: latestPeriod) &- raw[start]
        var pairsStart = start + fixedHeaderBytes
        let length = Int(SlotSketch.readVarint(raw, at: &pairsStart))
        return RecordHeader(
            start: start,
            period: latestPeriod - Int64(age),
            sum: raw.loadUnaligned(fromByteOffset: start + 1, as: Double.self),
            lowest: raw.loadUnaligned(fromByteOffset: start + 9, as: Float.self),
            highest: raw.loadUnaligned(fromByteOffset: start + 13, as: Float.self),
            pairsStart: pairsStart,
            end: pairsStart + length
        )
    }

    /// Appends the record's (code, count) pairs; returns the record's sample count.
    private static func readPairs(_ raw: UnsafeRawBufferPointer, _ header: RecordHeader, into pairs: inout [(code: Int, count: UInt64)]) -> UInt64 {
        var position = header.pairsStart
        var code = SlotSketch.code(header.lowest)
        var total: UInt64 = 0
        while position < header.end {
            code += Int(SlotSketch.readVarint(raw, at: &position))
            let count = SlotSketch.readVarint(raw, at: &position)
            pairs.append((code, count))
            total += count
        }
        return total
    }

    // MARK: - Summaries

    private static func rank(_ q: Double, count: Int) -> Int {
        Int((q * Double(count - 1)).rounded(.down))
    }

    private func rawSummary(after start: Int64, through end: Int64) -> WindowSummary? {
        let (base, first, capacity, count) = (self.base, Int(ringStart), Int(ringCapacity), Int(ringCount))
        var values: [Float] = []
        values.reserveCapacity(count)
        var sum = 0.0
        bytes.withUnsafeBytes { raw in
            for position in 0..<count {
                let at = Self.sampleOffset(position, start: first, capacity: capacity)
                let milliseconds = base + Int64(raw.loadUnaligned(fromByteOffset: at + 4, as: Int32.self))
                guard milliseconds > start && milliseconds <= end else { continue }
                let value = raw.loadUnaligned(fromByteOffset: at, as: Float.self)
                values.append(value)
                sum += Double(value)
            }
        }
        guard !values.isEmpty else { return nil }
        values.sort()
        return WindowSummary(
            count: values.count,
            mean: sum / Double(values.count),
            min: Double(values[0]),
            max: Double(values[values.count - 1]),
            p50: Double(values[Self.rank(0.5, count: values.count)]),
            p95: Double(values[Self.rank(0.95, count: values.count)])
        )
    }

    private func hourSummary(at now: Int64) -> WindowSummary? {
        let nowPeriod = Self.period(of: now)
        let oldest = nowPeriod &- Int64(Self.slotCount - 1)
        let (latest, base, recordsStart) = (latestPeriod, self.base, self.recordsStart)
        let (first, capacity, folded, count) = (Int(ringStart), Int(ringCapacity), Int(foldedCount), Int(ringCount))
        var pairs: [(code: Int, count: UInt64)] = []
        pairs.reserveCapacity(Swift.max(0, count - folded) + 128)
        var total: UInt64 = 0
        var sum = 0.0
        var lowest = Float.infinity
        var highest = -Float.infinity
        bytes.withUnsafeBytes { raw in
            var position = recordsStart
            while position < raw.count {
                let header = Self.readHeader(raw, at: position, latestPeriod: latest)
                if header.period < oldest { break }
                if header.period <= nowPeriod {
                    total += Self.readPairs(raw, header, into: &pairs)
                    sum += header.sum
                    lowest = Swift.min(lowest, header.lowest)
                    highest = Swift.max(highest, header.highest)
                }
                position = header.end
            }
            guard latest >= oldest && latest <= nowPeriod else { return }
            for position in folded..<count {
                let at = Self.sampleOffset(position, start: first, capacity: capacity)
                guard base + Int64(raw.loadUnaligned(fromByteOffset: at + 4, as: Int32.self)) <= now else { continue }
                let value = raw.loadUnaligned(fromByteOffset: at, as: Float.self)
                pairs.append((SlotSketch.code(value), 1))
                total += 1
                sum += Double(value)
                lowest = Swift.min(lowest, value)
                highest = Swift.max(highest, value)
            }
        }
        guard total > 0 else { return nil }
        pairs.sort { $0.code < $1.code }
        let (low, high) = (Double(lowest), Double(highest))
        return WindowSummary(
            count: Int(total),
            mean: sum / Double(total),
            min: low,
            max: high,
            p50: SlotSketch.quantile(0.5, of: pairs, total: total, lowest: low, highest: high),
            p95: SlotSketch.quantile(0.95, of: pairs, total: total, lowest: low, highest: high)
        )
    }
}

/// One closed 5-minute slot, decoded.
private struct SlotRecord {
    var period: Int64
    var sum = 0.0
    var lowest = Float.infinity
    var highest = -Float.infinity
    var pairs: [(code: Int, count: UInt64)] = []
}

/// `lhs − rhs`, clamped to `Int64`'s range instead of trapping.
func saturatingSubtract(_ lhs: Int64, _ rhs: Int64) -> Int64 {
    let (difference, overflow) = lhs.subtractingReportingOverflow(rhs)
    guard overflow else { return difference }
    return rhs > 0 ? .min : .max
}

/// Bytes malloc hands out for a Swift array buffer of `capacity` elements: the 32-byte array header, the elements and
/// malloc's 8-byte chunk header, rounded up to 16. An empty array uses a shared static buffer and costs nothing.
func arrayHeapBytes(capacity: Int, stride: Int) -> Int {
    guard capacity > 0 else { return 0 }
    return (32 + capacity * stride + 8 + 15) & ~15
}
