/// Closest-name suggestions for "unknown name" errors.
enum Suggestions {
    /// Up to `limit` candidates ordered by edit distance to `query` (case- and punctuation-insensitive),
    /// keeping only those reasonably close; candidates containing the query come first.
    static func closest(to query: String, among candidates: [String], limit: Int = 3) -> [String] {
        let key = normalize(query)
        guard !key.isEmpty else { return Array(candidates.prefix(limit)) }
        let scored = candidates.map { candidate -> (String, Int) in
            let other = normalize(candidate)
            let distance = other.contains(key) || key.contains(other) ? 0 : editDistance(Array(key), Array(other))
            return (candidate, distance)
        }
        let threshold = max(3, key.count / 2)
        var seen = Set<String>()
        return scored.filter { $0.1 <= threshold }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map(\.0)
            .filter { seen.insert($0).inserted }
            .prefix(limit)
            .map { $0 }
    }

    static func normalize(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }.map(Character.init))
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
