#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns byte ranges into shared `String`s: the same metric name, label name or label value met again (in
/// this scrape or the next one of the same target) returns the stored string without allocating.
///
/// Open addressing over FNV-1a hashes; a hit is confirmed by comparing bytes. Bounded: past `maximumEntries`
/// the table starts over, so hostile label cardinality cannot grow it without limit.
struct StringInterner {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var offsets: [Int] = []
    private var lengths: [Int] = []
    private var strings: [String] = []
    private var arena: [UInt8] = []
    let maximumEntries: Int

    init(maximumEntries: Int = 1 << 20) {
        self.maximumEntries = maximumEntries
        slots = []
    }

    var count: Int { strings.count }

    /// Moves the table out, leaving an empty one (that allocates nothing until used) in its place.
    mutating func take() -> StringInterner {
        let taken = self
        self = StringInterner(maximumEntries: maximumEntries)
        return taken
    }

    /// A 64-bit hash of a byte range, eight bytes at a time (multiply–xorshift per word, then a final mix).
    /// Not cryptographic: it only has to spread label strings well.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = bytes.baseAddress else { return 0x9E37_79B9_7F4A_7C15 }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (UInt64(count) &* 0x9E37_79B9_7F4A_7C15)
        var offset = 0
        while offset + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash = (hash ^ word) &* 0xff51_afd7_ed55_8ccd
            hash ^= hash >> 32
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                tail |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
            hash = (hash ^ tail) &* 0xc4ce_b9fe_1a85_ec53
        }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }

    /// The interned string for `bytes`, or nil when they are not valid UTF-8.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        intern(bytes, hash: Self.hash(bytes))
    }

    /// The interned string for `bytes` whose `hash(_:)` the caller already computed.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> String? {
        if slots.isEmpty { slots = [Int32](repeating: -1, count: 1024) }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { break }
            if hashes[entry] == hash, lengths[entry] == bytes.count, equalsArena(offset: offsets[entry], bytes) { return strings[entry] }
            slot = (slot + 1) & mask
        }
        guard let string = String(validating: bytes, as: UTF8.self) else { return nil }
        if strings.count >= maximumEntries { reset() }
        insert(string, bytes: bytes, hash: hash)
        return string
    }

    private func equalsArena(offset: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
        return arena.withUnsafeBufferPointer { stored in memcmp(stored.baseAddress! + offset, base, bytes.count) == 0 }
    }

    private mutating func insert(_ string: String, bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) {
        if (strings.count + 1) * 2 > slots.count { grow() }
        let entry = strings.count
        hashes.append(hash)
        offsets.append(arena.count)
        lengths.append(bytes.count)
        arena.append(contentsOf: bytes)
        strings.append(string)
        place(entry: entry, hash: hash)
    }

    private mutating func place(entry: Int, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry)
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for entry in 0..<strings.count { place(entry: entry, hash: hashes[entry]) }
    }

    private mutating func reset() {
        slots = [Int32](repeating: -1, count: 1024)
        hashes.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        strings.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
    }
}
