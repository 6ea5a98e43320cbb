/// Weng et al.'s fragmentation of a node (USENIX ATC'23, §4), in GPU thousandths: for each task shape of the
/// fleet's distribution, the free GPU capacity that shape could not use — all of it when the shape cannot run on
/// the node (too little CPU, the wrong GPU type, not enough GPUs with room), else the partial GPUs too small for its
/// share — weighted by the shape's popularity.
///
/// Healthy GPUs not partitioned by MIG are counted; MIG slots are placed by profile, not by share.
public enum Fragmentation {
    public static func of(cpuFreeMilli: Int, freeMilli: some Collection<Int>, gpuType: String?, _ distribution: TaskShapeDistribution) -> Double {
        let total = Double(freeMilli.reduce(0, +))
        guard total > 0 else { return 0 }
        var fragment = 0.0
        for shape in distribution.shapes {
            if shape.gpuMilli == 0 {
                fragment += shape.popularity * total  // a CPU-only task uses no GPU: every free GPU is stranded for it
                continue
            }
            let accessible = shape.gpuTypes.isEmpty || (gpuType.map { shape.gpuTypes.contains($0) } ?? false)
            guard accessible, cpuFreeMilli >= shape.cpuMilli, freeMilli.count(where: { $0 >= shape.gpuMilli }) >= shape.gpuCount else {
                fragment += shape.popularity * total
                continue
            }
            var small = 0
            for left in freeMilli where left < shape.gpuMilli { small += left }
            fragment += shape.popularity * Double(small)
        }
        return fragment
    }

    /// The free thousandths of the GPUs the measure counts.
    public static func countedFree(_ node: PlacementNode) -> [Int] {
        var free: [Int] = []
        free.reserveCapacity(node.gpus.count)
        for gpu in node.gpus where gpu.healthy && gpu.sharing != .mig { free.append(max(0, gpu.freeMilli)) }
        return free
    }
}

/// Fragmentation values by node state (GPU type, free CPU, free GPUs as a multiset): nodes in the same state have
/// the same fragmentation, and a fleet has few distinct states. One cache per engine; not shared across threads.
public final class FragmentationCache {
    private struct Key: Hashable {
        let type: String?
        /// `type`'s hash, computed once per node state: hashing the name on every lookup was measurable.
        let typeHash: Int
        let cpu: Int
        let low: UInt64
        let high: UInt64

        func hash(into hasher: inout Hasher) {
            hasher.combine(typeHash)
            hasher.combine(cpu)
            hasher.combine(low)
            hasher.combine(high)
        }
    }

    private var values: [Key: Double] = [:]
    public private(set) var distribution: TaskShapeDistribution

    public init(_ distribution: TaskShapeDistribution) {
        self.distribution = distribution
    }

    /// The distribution changed: everything cached is stale.
    public func reset(_ distribution: TaskShapeDistribution) {
        guard distribution != self.distribution else { return }
        self.distribution = distribution
        values.removeAll(keepingCapacity: true)
    }

    public func value(cpuFreeMilli: Int, freeMilli: [Int], gpuType: String?) -> Double {
        var copy = freeMilli
        return copy.withUnsafeMutableBufferPointer {
            value(cpuFreeMilli: cpuFreeMilli, free: $0, gpuType: gpuType, typeHash: gpuType?.hashValue ?? 0)
        }
    }

    /// The fragmentation of a node state given as a buffer of free thousandths (sorted in place).
    func value(cpuFreeMilli: Int, free: UnsafeMutableBufferPointer<Int>, gpuType: String?, typeHash: Int) -> Double {
        guard free.count <= 12, free.allSatisfy({ (0...1_000).contains($0) }) else {
            return Fragmentation.of(cpuFreeMilli: cpuFreeMilli, freeMilli: free, gpuType: gpuType, distribution)
        }
        // Insertion sort: at most 12 values.
        if free.count > 1 {
            for i in 1..<free.count {
                let value = free[i]
                var j = i - 1
                while j >= 0, free[j] > value {
                    free[j + 1] = free[j]
                    j -= 1
                }
                free[j + 1] = value
            }
        }
        var low = UInt64(free.count)
        var high: UInt64 = 0
        for (position, left) in free.enumerated() {
            if position < 6 {
                low |= UInt64(left) << (4 + 10 * UInt64(position))
            } else {
                high |= UInt64(left) << (10 * UInt64(position - 6))
            }
        }
        let key = Key(type: gpuType, typeHash: typeHash, cpu: cpuFreeMilli, low: low, high: high)
        if let known = values[key] { return known }
        let value = Fragmentation.of(cpuFreeMilli: cpuFreeMilli, freeMilli: free, gpuType: gpuType, distribution)
        values[key] = value
        return value
    }

    /// Fragmentation after taking `milli` of each GPU at `positions` and `cpuMilli` of CPU, minus before, without
    /// allocating.
    func delta(_ node: PlacementNode, positions: [Int], milli: Int, cpuMilli: Int) -> Double {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: max(1, node.gpus.count * 2)) { buffer in
            var count = 0
            for position in node.gpus.indices where node.gpus[position].healthy && node.gpus[position].sharing != .mig {
                buffer[count] = max(0, node.gpus[position].freeMilli)
                count += 1
            }
            var changed = 0
            for position in node.gpus.indices where node.gpus[position].healthy && node.gpus[position].sharing != .mig {
                let free = node.gpus[position].freeMilli
                buffer[count + changed] = positions.contains(position) ? max(0, free - milli) : max(0, free)
                changed += 1
            }
            let before = UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
            let after = UnsafeMutableBufferPointer(rebasing: buffer[count..<count + changed])
            let current = value(cpuFreeMilli: node.cpuFreeMilli, free: before, gpuType: node.gpuType, typeHash: node.gpuTypeHash)
            return value(cpuFreeMilli: node.cpuFreeMilli - cpuMilli, free: after, gpuType: node.gpuType, typeHash: node.gpuTypeHash) - current
        }
    }
}
