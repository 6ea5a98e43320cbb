public import ModelPlaneCore

/// What a task asks of a GPU-sharing cluster, in the ATC'23 artifact's units: CPU in milli-cores, memory in MiB,
/// `gpuCount` GPUs at `gpuMilli` thousandths each, and the GPU models it accepts (empty: any).
public struct ShareTask: Sendable, Hashable {
    public var cpuMilli: Int
    public var memoryMiB: Int
    public var gpuCount: Int
    public var gpuMilli: Int
    public var gpuModels: [String]

    public init(cpuMilli: Int, memoryMiB: Int = 0, gpuCount: Int, gpuMilli: Int, gpuModels: [String] = []) {
        self.cpuMilli = cpuMilli
        self.memoryMiB = memoryMiB
        self.gpuCount = gpuCount
        self.gpuMilli = gpuMilli
        self.gpuModels = gpuModels
    }

    /// A trace pod as the artifact reads it: a CPU-only pod has no GPU request and no model constraint.
    public init(_ pod: TracePod) {
        if pod.isCPUOnly {
            self.init(cpuMilli: pod.cpuMilli, memoryMiB: pod.memoryMiB, gpuCount: 0, gpuMilli: 0)
        } else {
            self.init(cpuMilli: pod.cpuMilli, memoryMiB: pod.memoryMiB, gpuCount: pod.gpuCount, gpuMilli: pod.gpuMilli, gpuModels: pod.gpuSpec)
        }
    }

    public var totalGPUMilli: Int { gpuCount * gpuMilli }
    public var isCPUOnly: Bool { gpuMilli == 0 }
    public var isSharing: Bool { gpuCount == 1 && gpuMilli > 0 && gpuMilli < 1000 }

    /// Whether a node of GPU model `model` may host the task (any model when the task names none).
    public func accepts(model: String?) -> Bool {
        guard !gpuModels.isEmpty else { return true }
        guard let model else { return false }
        return gpuModels.contains(model)
    }
}

/// The "target workload" M of the fragmentation measure: the most popular task shapes (CPU, GPU share, GPU count,
/// models; memory is not part of the shape) that together cover `coverage` of the tasks, each with its popularity
/// renormalized to sum to 1 (Weng et al. §4; the artifact's `GetTypicalPods`).
public struct TargetWorkload: Sendable {
    public struct Shape: Sendable, Hashable {
        public var cpuMilli: Int
        public var gpuMilli: Int
        public var gpuCount: Int
        public var gpuModels: [String]
        public var share: Double
    }

    public let shapes: [Shape]
    /// The same shapes as Core's fragmentation measure and placement engine take them.
    public let distribution: TaskShapeDistribution

    public init(shapes: [Shape]) {
        self.shapes = shapes
        distribution = Self.distribution(shapes)
    }

    static func distribution(_ shapes: [Shape]) -> TaskShapeDistribution {
        TaskShapeDistribution(
            shapes: shapes.map {
                .init(cpuMilli: $0.cpuMilli, gpuMilli: $0.gpuMilli, gpuCount: $0.gpuCount, gpuTypes: $0.gpuModels, popularity: $0.share)
            })
    }

    /// Built from the original tasks (not resampled copies): counted by shape, most frequent first, equal counts
    /// by shape descending (CPU, GPU milli, count, models); shapes are taken until their cumulative count reaches
    /// `coverage` of all tasks, the one that crosses included.
    public init(tasks: [ShareTask], coverage: Double = 0.95) {
        struct Key: Hashable {
            var cpu: Int, milli: Int, count: Int, models: String
        }
        var counts: [Key: Int] = [:]
        for task in tasks {
            counts[Key(cpu: task.cpuMilli, milli: task.gpuMilli, count: task.gpuCount, models: task.gpuModels.joined(separator: "|")), default: 0] +=
                1
        }
        let ordered = counts.sorted { lhs, rhs in
            if lhs.value != rhs.value { return lhs.value > rhs.value }
            let (a, b) = (lhs.key, rhs.key)
            if a.cpu != b.cpu { return a.cpu > b.cpu }
            if a.milli != b.milli { return a.milli > b.milli }
            if a.count != b.count { return a.count > b.count }
            return a.models > b.models
        }
        let total = Double(tasks.count)
        var kept: [(Key, Int)] = []
        var cumulative = 0
        for (key, count) in ordered {
            guard Double(cumulative) < coverage * total else { break }
            kept.append((key, count))
            cumulative += count
        }
        shapes = kept.map { key, count in
            Shape(
                cpuMilli: key.cpu, gpuMilli: key.milli, gpuCount: key.count,
                gpuModels: key.models.isEmpty ? [] : key.models.split(separator: "|").map(String.init),
                share: (Double(count) / total) / (Double(cumulative) / total))
        }
        distribution = Self.distribution(shapes)
    }
}
