/// How far any policy could go on one arrival sequence: every task known in advance.
///
/// - `lowerBoundAt100`: a relaxation that no packing can beat (unallocated GPU % at 100 % arrived). A GPU holding a
///   share s > 50 % has room 1000 − s that only tasks smaller than that can use; for any threshold t ≤ 500, the room
///   left on GPUs with room < t, minus all the shares smaller than t put together, is capacity no packing can
///   allocate. CPU, memory, GPU models and node boundaries are ignored (they only make packing harder), so the bound
///   is valid but optimistic.
/// - `packedAt100` / `packedAt130`: the best of two offline packers (first-fit decreasing and best-fit
///   decreasing, with every real constraint) on the tasks that had arrived by then: achievable, so the optimum
///   lies between the bound and this.
public struct OfflinePacking: Sendable {
    public let seed: Int64
    public let lowerBoundAt100: Double
    public let packedAt100: Double
    public let packedAt130: Double?
    /// Which packer gave `packedAt100` ("first-fit decreasing" or "best-fit decreasing").
    public let packer: String

    public init(nodes: [TraceNode], sequence: ArrivalSequence) {
        seed = sequence.seed
        let capacity = nodes.reduce(0) { $0 + $1.gpuCount * ShareNode.gpuMilli }
        func prefix(_ fraction: Double) -> (tasks: [ShareTask], arrived: Int) {
            var arrived = 0
            var tasks: [ShareTask] = []
            for task in sequence.tasks {
                guard Double(arrived + task.totalGPUMilli) <= fraction * Double(capacity) else { break }
                arrived += task.totalGPUMilli
                tasks.append(task)
            }
            return (tasks, arrived)
        }
        func percent(_ milli: Int) -> Double { (Double(milli) / Double(capacity) * 10_000).rounded() / 100 }
        let (at100, arrived100) = prefix(1.0)
        lowerBoundAt100 = percent(max(0, Self.strandedRoom(at100) - (capacity - arrived100)))
        let first = Self.pack(nodes, at100, bestFit: false)
        let best = Self.pack(nodes, at100, bestFit: true)
        packedAt100 = percent(capacity - max(first, best))
        packer = best >= first ? "best-fit decreasing" : "first-fit decreasing"
        let arrivedAll = sequence.tasks.reduce(0) { $0 + $1.totalGPUMilli }
        if Double(arrivedAll) >= 1.29 * Double(capacity) {
            let (at130, _) = prefix(1.3)
            packedAt130 = percent(capacity - max(Self.pack(nodes, at130, bestFit: false), Self.pack(nodes, at130, bestFit: true)))
        } else {
            packedAt130 = nil
        }
    }

    /// max over t ≤ 500 of (room on GPUs whose share leaves less than t) − (all shares below t), in GPU thousandths.
    static func strandedRoom(_ tasks: [ShareTask]) -> Int {
        var best = 0
        for threshold in stride(from: 10, through: 500, by: 10) {
            var room = 0
            var fillers = 0
            for task in tasks where task.isSharing {
                if ShareNode.gpuMilli - task.gpuMilli < threshold { room += ShareNode.gpuMilli - task.gpuMilli }
                if task.gpuMilli < threshold { fillers += task.gpuMilli }
            }
            best = max(best, room - fillers)
        }
        return best
    }

    /// Allocated GPU thousandths when `tasks` are placed largest first (GPUs, then CPU), each on the first node that
    /// fits or on the one it fills most tightly (least GPU, then CPU, left).
    static func pack(_ nodes: [TraceNode], _ tasks: [ShareTask], bestFit: Bool) -> Int {
        var cluster = nodes.map(ShareNode.init)
        let order = tasks.sorted { ($0.totalGPUMilli, $0.cpuMilli) > ($1.totalGPUMilli, $1.cpuMilli) }
        var allocated = 0
        for task in order {
            var chosen: Int?
            var tightest = (Int.max, Int.max)
            for index in cluster.indices where cluster[index].fits(task) {
                if !bestFit {
                    chosen = index
                    break
                }
                // For a share, the tightest GPU on the node matters more than the node's total.
                let gpu = task.isSharing ? cluster[index].gpuLeft.filter { $0 >= task.gpuMilli }.min()! - task.gpuMilli : 0
                let left = (gpu * 100_000 + cluster[index].gpuMilliLeft - task.totalGPUMilli, cluster[index].cpuLeft - task.cpuMilli)
                if left < tightest {
                    tightest = left
                    chosen = index
                }
            }
            guard let node = chosen else { continue }
            cluster[node].place(task, on: cluster[node].bestFitGPUs(for: task))
            allocated += task.totalGPUMilli
        }
        return allocated
    }
}
