/// A map from 64-bit hashes to small integers, for keys that are already well-mixed hashes (the parser's series
/// and label-set hashes): open addressing with linear probing, no rehashing of the key, no per-entry allocation.
///
/// `Dictionary<UInt64, Int>` hashes every key again with SipHash; on a 100 MB scrape that was a tenth of the parse.
struct HashedKeyTable {
    /// Key and value side by side, so a probe touches one cache line.
    private var slots: [(key: UInt64, value: Int32)] = []
    /// Key 0 marks an empty slot, so the key 0 itself is kept aside.
    private var zeroValue: Int32?
    private(set) var count = 0

    init() {}

    subscript(key: UInt64) -> Int? {
        get {
            if key == 0 { return zeroValue.map(Int.init) }
            return slots.withUnsafeBufferPointer { slots in
                guard !slots.isEmpty else { return nil }
                let mask = slots.count - 1
                var slot = Int(truncatingIfNeeded: key) & mask
                while true {
                    let stored = slots[slot].key
                    if stored == key { return Int(slots[slot].value) }
                    if stored == 0 { return nil }
                    slot = (slot + 1) & mask
                }
            }
        }
        set {
            guard let newValue else {
                preconditionFailure("HashedKeyTable does not remove keys")
            }
            _ = insert(key, Int32(truncatingIfNeeded: newValue), replacing: true)
        }
    }

    /// Adds `key` with `value` when absent; true when it was added (an existing entry is kept unless `replacing`).
    @discardableResult
    mutating func insert(_ key: UInt64, _ value: Int32 = 0, replacing: Bool = false) -> Bool {
        if key == 0 {
            let added = zeroValue == nil
            if added || replacing { zeroValue = value }
            if added { count += 1 }
            return added
        }
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let added = slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                let stored = slots[slot].key
                if stored == key {
                    if replacing { slots[slot].value = value }
                    return false
                }
                if stored == 0 { break }
                slot = (slot + 1) & mask
            }
            slots[slot] = (key, value)
            return true
        }
        if added { count += 1 }
        return added
    }

    private mutating func grow() {
        let old = slots
        let capacity = max(64, slots.count * 2)
        slots = Array(repeating: (0, 0), count: capacity)
        slots.withUnsafeMutableBufferPointer { slots in
            let mask = capacity - 1
            for entry in old where entry.key != 0 {
                var slot = Int(truncatingIfNeeded: entry.key) & mask
                while slots[slot].key != 0 { slot = (slot + 1) & mask }
                slots[slot] = entry
            }
        }
    }
}

/// A set of 64-bit hashes (already well mixed): the keys of `HashedKeyTable` without values, eight bytes a slot.
struct HashedKeySet {
    private var slots: [UInt64] = []
    private var hasZero = false
    private(set) var count = 0

    init() {}

    func contains(_ key: UInt64) -> Bool {
        if key == 0 { return hasZero }
        return slots.withUnsafeBufferPointer { slots in
            guard !slots.isEmpty else { return false }
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                if slots[slot] == key { return true }
                if slots[slot] == 0 { return false }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Adds `key`; true when it was not there before.
    mutating func insert(_ key: UInt64) -> Bool {
        if key == 0 {
            defer { hasZero = true }
            if !hasZero { count += 1 }
            return !hasZero
        }
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let added = slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: key) & mask
            while slots[slot] != 0 {
                if slots[slot] == key { return false }
                slot = (slot + 1) & mask
            }
            slots[slot] = key
            return true
        }
        if added { count += 1 }
        return added
    }

    private mutating func grow() {
        let old = slots
        let capacity = max(64, slots.count * 2)
        slots = [UInt64](repeating: 0, count: capacity)
        slots.withUnsafeMutableBufferPointer { slots in
            let mask = capacity - 1
            for key in old where key != 0 {
                var slot = Int(truncatingIfNeeded: key) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = key
            }
        }
    }
}
