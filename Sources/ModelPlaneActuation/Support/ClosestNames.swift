/// Names near a mistyped one, for "unknown …" messages (Core's suggestion helper is internal to Core).
enum ClosestNames {
    /// Up to `limit` of `candidates` within a small edit distance of `query`, closest first.
    static func near(_ query: String, in candidates: [String], limit: Int = 3) -> [String] {
        let key = Array(query.lowercased())
        let threshold = max(2, key.count / 3)
        let scored: [(name: String, distance: Int)] = candidates.map { (name: $0, distance: distance(key, Array($0.lowercased()))) }
        let close = scored.filter { $0.distance <= threshold }
        let ordered = close.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
        return ordered.prefix(limit).map(\.name)
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
