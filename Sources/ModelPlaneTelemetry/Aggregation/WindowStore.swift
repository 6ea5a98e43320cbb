/// Rolling windows for many (key, field) streams — a key is typically one GPU, a field one of its metrics — with
/// Prometheus-style staleness: a stream whose last sample is older than `staleAfter` reads as absent, never as 0.
///
/// Layout: one `Dictionary<Key, Int>` from key to a position in a flat array of per-key entries; each entry holds its
/// fields' `RollingWindows` in one small array sorted by field (found directly when fields are 0, 1, 2, …, by binary search
/// otherwise) and, only for keys fed by `recordCounter`, a second small array of counter states. Per stream that costs
/// the field number (8 bytes) beside the windows, plus a share of the per-key array header.
public struct WindowStore<Key: Hashable & Sendable>: Sendable {
    private struct FieldStream: Sendable {
        var field: Int
        var windows = RollingWindows()
    }

    private struct CounterStream: Sendable {
        var field: Int
        var counter = CounterRate()
    }

    private struct Entry: Sendable {
        let key: Key
        /// Time of the newest accepted observation of any field; `Int64.min` until one arrives.
        var newest: Int64 = .min
        var streams: [FieldStream] = []
        var counters: [CounterStream] = []
    }

    /// A stream (or key) whose newest sample is more than this many milliseconds before `now` is stale.
    public let staleAfter: Int64
    private var positions: [Key: Int] = [:]
    private var entries: [Entry] = []
    /// The key `record` and `recordCounter` saw last, and its entry: a device's fields usually arrive together, so this
    /// spares hashing the key for all of them but the first.
    private var lastKey: Key?
    private var lastPosition = 0
    /// Windowed streams over all keys.
    public private(set) var streamCount = 0

    /// - Parameter staleAfter: milliseconds after which a silent stream reads as absent (Prometheus' lookback is 5 min).
    public init(staleAfter: Int64 = 300_000) {
        self.staleAfter = staleAfter
    }

    /// Keys with at least one stream or counter.
    public var keyCount: Int { entries.count }

    /// Records a gauge sample. NaN, ±infinity and out-of-order samples (at or before the stream's newest) are ignored.
    public mutating func record(_ key: Key, field: Int, value: Double, at milliseconds: Int64) {
        guard value.isFinite else { return }
        let entry = entryPosition(for: key)
        let stream = streamPosition(in: entry, field: field)
        if entries[entry].streams[stream].windows.add(value, at: milliseconds) {
            entries[entry].newest = Swift.max(entries[entry].newest, milliseconds)
        }
    }

    /// Observes a monotonic counter and records its per-second rate (see `CounterRate`) into the windows of `field`.
    /// Returns the rate, or nil for the first observation, an out-of-order or non-finite one. A field should be fed either
    /// by `record` or by `recordCounter`: mixing them puts raw values and rates in the same windows.
    @discardableResult
    public mutating func recordCounter(_ key: Key, field: Int, value: Double, at milliseconds: Int64) -> Double? {
        guard value.isFinite else { return nil }
        let entry = entryPosition(for: key)
        let counter = counterPosition(in: entry, field: field)
        let rate = entries[entry].counters[counter].counter.observe(value, at: milliseconds)
        if entries[entry].counters[counter].counter.last?.milliseconds == milliseconds {
            entries[entry].newest = Swift.max(entries[entry].newest, milliseconds)
        }
        guard let rate, rate.isFinite else { return nil }
        let stream = streamPosition(in: entry, field: field)
        entries[entry].streams[stream].windows.add(rate, at: milliseconds)
        return rate
    }

    /// The window's statistics for one stream, nil when the stream is unknown or has no sample in the window.
    public func summary(_ key: Key, field: Int, window: WindowLength, at now: Int64) -> WindowSummary? {
        guard let entry = positions[key], let stream = Self.position(of: field, in: entries[entry].streams) else { return nil }
        return entries[entry].streams[stream].windows.summary(window, at: now)
    }

    /// The stream's newest value, nil when unknown or stale (newest sample more than `staleAfter` before `now`).
    public func latest(_ key: Key, field: Int, at now: Int64) -> Double? {
        guard let entry = positions[key], let stream = Self.position(of: field, in: entries[entry].streams),
            let latest = entries[entry].streams[stream].windows.latest, isFresh(latest.milliseconds, at: now)
        else { return nil }
        return latest.value
    }

    /// True when no field of `key` (gauge or counter) arrived within `staleAfter` of `now`, or the key is unknown.
    public func isStale(_ key: Key, at now: Int64) -> Bool {
        guard let entry = positions[key] else { return true }
        let newest = entries[entry].newest
        return newest == .min || !isFresh(newest, at: now)
    }

    /// Drops every key whose newest observation is before `milliseconds`, with all its streams; returns how many.
    public mutating func evict(notSeenSince milliseconds: Int64) -> Int {
        lastKey = nil
        var removed = 0
        var position = 0
        while position < entries.count {
            guard entries[position].newest < milliseconds else {
                position += 1
                continue
            }
            positions[entries[position].key] = nil
            streamCount -= entries[position].streams.count
            entries.swapAt(position, entries.count - 1)
            entries.removeLast()
            if position < entries.count { positions[entries[position].key] = position }
            removed += 1
        }
        return removed
    }

    /// Estimated bytes: this struct, the dictionary's buckets, the entry array, and per key its stream and counter arrays
    /// and every stream's window storage (malloc chunk sizes as in `RollingWindows.residentBytes`). Heap storage owned by
    /// the keys themselves (a `String`'s buffer) is not counted.
    public var residentBytes: Int {
        var total = MemoryLayout<Self>.size
        if positions.capacity > 0 {
            // Swift's Dictionary keeps a power-of-two bucket count at most 3/4 full, a bit per bucket, and a header.
            var buckets = 1
            while buckets * 3 / 4 < positions.capacity { buckets *= 2 }
            total += arrayHeapBytes(capacity: buckets, stride: MemoryLayout<Key>.stride + MemoryLayout<Int>.stride) + buckets / 8 + 32
        }
        total += arrayHeapBytes(capacity: entries.capacity, stride: MemoryLayout<Entry>.stride)
        for entry in entries {
            total += arrayHeapBytes(capacity: entry.streams.capacity, stride: MemoryLayout<FieldStream>.stride)
            total += arrayHeapBytes(capacity: entry.counters.capacity, stride: MemoryLayout<CounterStream>.stride)
            for stream in entry.streams { total += stream.windows.heapBytes }
        }
        return total
    }

    // MARK: - Lookup

    private func isFresh(_ milliseconds: Int64, at now: Int64) -> Bool {
        saturatingSubtract(now, milliseconds) <= staleAfter
    }

    private mutating func entryPosition(for key: Key) -> Int {
        if let lastKey, lastKey == key { return lastPosition }
        if let position = positions[key] {
            lastPosition = position
        } else {
            lastPosition = entries.count
            positions[key] = lastPosition
            entries.append(Entry(key: key))
        }
        lastKey = key
        return lastPosition
    }

    /// The stream of `field` in a key's streams (sorted by field), nil when absent.
    private static func position(of field: Int, in streams: [FieldStream]) -> Int? {
        if field >= 0 && field < streams.count && streams[field].field == field { return field }
        let slot = insertionPoint(of: field, in: streams)
        return slot < streams.count && streams[slot].field == field ? slot : nil
    }

    private static func insertionPoint(of field: Int, in streams: [FieldStream]) -> Int {
        var low = 0
        var high = streams.count
        while low < high {
            let middle = (low + high) / 2
            if streams[middle].field < field { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The stream of `field`, created when absent. Arrays grow by an eighth, not by doubling.
    private mutating func streamPosition(in entry: Int, field: Int) -> Int {
        if let position = Self.position(of: field, in: entries[entry].streams) { return position }
        let slot = Self.insertionPoint(of: field, in: entries[entry].streams)
        let count = entries[entry].streams.count
        if count == entries[entry].streams.capacity { entries[entry].streams.reserveCapacity(count + Swift.max(1, count / 8)) }
        entries[entry].streams.insert(FieldStream(field: field), at: slot)
        streamCount += 1
        return slot
    }

    private mutating func counterPosition(in entry: Int, field: Int) -> Int {
        if let position = entries[entry].counters.firstIndex(where: { $0.field == field }) { return position }
        let count = entries[entry].counters.count
        if count == entries[entry].counters.capacity { entries[entry].counters.reserveCapacity(count + Swift.max(1, count / 8)) }
        entries[entry].counters.append(CounterStream(field: field))
        return count
    }
}
