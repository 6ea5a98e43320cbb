/// The ATC'23 arrival protocol's task order for one seed, drawn as the paper's simulator draws it (Go's
/// `math/rand`): the trace's tasks sorted by name and shuffled, then tasks resampled with replacement from the
/// sorted list and appended until the GPU request would pass `inflation` × the cluster's GPU capacity.
public struct ArrivalSequence: Sendable {
    public let seed: Int64
    public let tasks: [ShareTask]
    public let names: [String]
    /// How many of `tasks` are the trace's own (the rest are resampled copies).
    public let originalCount: Int
    /// The generator as the sequence left it: the placement's random draws continue from here, as in the artifact.
    public let random: GoRandom

    /// - Parameters:
    ///   - pods: the trace's tasks, in any order.
    ///   - capacityMilli: the cluster's GPUs × 1000.
    public init(pods: [TracePod], seed: Int64, inflation: Double, capacityMilli: Int) {
        let sorted = pods.sorted { $0.name < $1.name }
        var random = GoRandom(seed: seed)
        _ = random.int()  // the artifact logs one rand.Int() after seeding; its draw shifts everything after it
        var order = Array(sorted.indices)
        random.shuffle(&order)
        var tasks = order.map { ShareTask(sorted[$0]) }
        var names = order.map { sorted[$0].name }
        var requested = tasks.reduce(0) { $0 + $1.totalGPUMilli }
        let target = inflation * Double(capacityMilli)
        if !sorted.isEmpty, Double(requested) < target {
            var copy = 0
            while true {
                let pick = random.intn(sorted.count)
                let task = ShareTask(sorted[pick])
                // The artifact's stop test adds one GPU's share, not the task's total: a multi-GPU copy may end
                // a little past the target (seed 45: 130.1 %).
                if Double(requested + task.gpuMilli) > target { break }
                requested += task.totalGPUMilli
                tasks.append(task)
                names.append("\(sorted[pick].name)-tuned-\(copy)")
                copy += 1
            }
        }
        self.seed = seed
        self.tasks = tasks
        self.names = names
        self.originalCount = sorted.count
        self.random = random
    }

    public var requestedGPUMilli: Int { tasks.reduce(0) { $0 + $1.totalGPUMilli } }
}
