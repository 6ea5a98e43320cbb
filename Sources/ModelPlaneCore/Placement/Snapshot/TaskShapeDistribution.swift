/// The most popular task shapes of a fleet with their popularity: the "target workload" M of Weng et al.
/// (USENIX ATC'23), against which fragmentation is measured.
public struct TaskShapeDistribution: Sendable, Equatable {
    public struct Shape: Sendable, Equatable, Hashable {
        public var cpuMilli: Int
        /// Thousandths per GPU; 0 for a CPU-only task.
        public var gpuMilli: Int
        public var gpuCount: Int
        /// GPU types the shape accepts; empty for any.
        public var gpuTypes: [String]
        /// Popularity, summing to 1 over the distribution.
        public var popularity: Double

        public init(cpuMilli: Int, gpuMilli: Int, gpuCount: Int, gpuTypes: [String] = [], popularity: Double) {
            self.cpuMilli = cpuMilli
            self.gpuMilli = gpuMilli
            self.gpuCount = gpuCount
            self.gpuTypes = gpuTypes
            self.popularity = popularity
        }
    }

    public let shapes: [Shape]

    public init(shapes: [Shape]) {
        self.shapes = shapes
    }

    /// From observed requests: counted by shape, most frequent first (equal counts by CPU, GPU share, count and
    /// types descending); shapes are kept until they cover `coverage` of the requests, the crossing one included,
    /// and their popularity is renormalized over the kept ones (the paper's 95 %).
    public init(requests: [PlacementRequest], coverage: Double = 0.95) {
        struct Key: Hashable {
            var cpu: Int, milli: Int, count: Int, types: [String]
        }
        var counts: [Key: Int] = [:]
        for request in requests {
            let key = Key(
                cpu: request.cpuMilli, milli: request.gpuCount == 0 ? 0 : request.gpuMilli, count: request.gpuCount, types: request.gpuTypes)
            counts[key, default: 0] += 1
        }
        let ordered = counts.sorted { lhs, rhs in
            if lhs.value != rhs.value { return lhs.value > rhs.value }
            let (a, b) = (lhs.key, rhs.key)
            if a.cpu != b.cpu { return a.cpu > b.cpu }
            if a.milli != b.milli { return a.milli > b.milli }
            if a.count != b.count { return a.count > b.count }
            return a.types.joined(separator: "|") > b.types.joined(separator: "|")
        }
        var kept: [(Key, Int)] = []
        var cumulative = 0
        for (key, count) in ordered {
            guard Double(cumulative) < coverage * Double(requests.count) else { break }
            kept.append((key, count))
            cumulative += count
        }
        shapes = kept.map { key, count in
            Shape(cpuMilli: key.cpu, gpuMilli: key.milli, gpuCount: key.count, gpuTypes: key.types, popularity: Double(count) / Double(cumulative))
        }
    }
}
