/// The trace replayed in time: each pod arrives at its `creation_time` and, once placed, runs for as long as it ran
/// in production (`deletion_time − scheduled_time`, or `− creation_time` when it was never scheduled), then leaves.
/// A pod that fits nowhere waits in a FIFO queue and is retried whenever capacity frees up; it is never dropped.
///
/// The default trace is a snapshot of pods spread over 149 days, so in real time the cluster is nearly idle (about
/// 16 pods at once). `compression` divides the arrival times and keeps the run times: load scales by that factor,
/// the usual way to stress a scheduler with a production trace.
///
/// A departure frees capacity on one node only, so a waiting pod can only have become placeable there: retries check
/// that node alone, which keeps a replay of the 8,152-pod default trace well under a second.
public struct TimedReplay: Sendable {
    public struct Point: Sendable, Equatable {
        public var seconds: Int
        public var allocatedMilli: Int
        public var waitingPods: Int
    }

    public let policy: ArrivalPolicy
    public let capacityMilli: Int
    public private(set) var placed = 0
    public private(set) var neverPlaced = 0
    /// Seconds each placed pod waited (start − creation), in placement order.
    public private(set) var waits: [Int] = []
    public private(set) var maximumWaiting = 0
    /// Allocation and queue after every event that changed them.
    public private(set) var timeline: [Point] = []
    /// ∫ allocated milli-GPUs dt over the arrival window (first to last arrival), and that window's length: after
    /// the last arrival only the long-running pods remain, which says nothing about the policy.
    public private(set) var allocatedMilliSeconds = 0.0
    public private(set) var spanSeconds = 0
    public private(set) var peakAllocatedMilli = 0

    enum Event: Sendable {
        case arrive(Int)
        case leave(Int)
    }

    /// Running pods moved to make room for arrivals (ModelPlane's path B, with `maxMigrations` > 0).
    public private(set) var migrations = 0

    /// - Parameter maxMigrations: for `.modelplane`, the running pods one arrival may move (0: none).
    public init(
        nodes: [TraceNode], pods: [TracePod], policy: ArrivalPolicy, seed: Int64 = 42, ties: TieBreak = .firstNode, compression: Double = 1,
        maxMigrations: Int = 0
    ) {
        self.policy = policy
        var cluster = nodes.map(ShareNode.init)
        capacityMilli = cluster.reduce(0) { $0 + $1.gpuCount * ShareNode.gpuMilli }
        let tasks = pods.map(ShareTask.init)
        if policy == .modelplane {
            let result = PlacementReplay.run(
                nodes: nodes, pods: pods, workload: TargetWorkload(tasks: tasks), compression: compression, maxMigrations: maxMigrations)
            (placed, neverPlaced, waits, maximumWaiting, timeline) = (
                result.placed, result.neverPlaced, result.waits, result.maximumWaiting, result.timeline
            )
            (allocatedMilliSeconds, spanSeconds, peakAllocatedMilli, migrations) =
                (result.allocatedMilliSeconds, result.spanSeconds, result.peakAllocatedMilli, result.migrations)
            return
        }
        var scorer = PolicyScorer(policy: policy, workload: TargetWorkload(tasks: tasks))
        var fragment = cluster.map { scorer.fragmentation(cpuLeft: $0.cpuLeft, gpuLeft: $0.gpuLeft, model: $0.model) }
        var random = GoRandom(seed: seed)
        var queue = EventQueue<Event>()
        let scale = max(1, compression)
        let arrival = pods.map { Int((Double($0.creationTime ?? 0) / scale).rounded()) }
        for (index, time) in arrival.enumerated() { queue.schedule(.arrive(index), at: Int64(time)) }
        var waiting: [Int] = []
        var where_: [(node: Int, gpus: [Int])?] = Array(repeating: nil, count: pods.count)
        var feasible: [Int] = []
        var scores: [(score: Int, gpu: Int?)] = []
        var allocated = 0
        var last = Int(queue.nextTime ?? 0)
        let first = last
        let lastArrival = arrival.max() ?? 0

        func start(_ index: Int, on choice: (node: Int, gpus: [Int]), at now: Int) {
            cluster[choice.node].place(tasks[index], on: choice.gpus)
            fragment[choice.node] = scorer.fragmentation(
                cpuLeft: cluster[choice.node].cpuLeft, gpuLeft: cluster[choice.node].gpuLeft, model: cluster[choice.node].model)
            where_[index] = choice
            allocated += tasks[index].totalGPUMilli
            placed += 1
            waits.append(now - arrival[index])
            let ran = (pods[index].deletionTime ?? now) - (pods[index].scheduledTime ?? pods[index].creationTime ?? now)
            queue.schedule(.leave(index), at: Int64(now + max(1, ran)))
        }

        while let entry = queue.pop() {
            let now = Int(entry.time)
            if last < lastArrival { allocatedMilliSeconds += Double(allocated) * Double(min(now, lastArrival) - last) }
            last = now
            switch entry.event {
            case .arrive(let index):
                if let choice = ArrivalRun.choose(
                    tasks[index], cluster: cluster, fragment: fragment, scorer: &scorer, policy: policy, ties: ties, random: &random,
                    feasible: &feasible, scores: &scores)
                {
                    start(index, on: choice, at: now)
                } else {
                    waiting.append(index)
                    maximumWaiting = max(maximumWaiting, waiting.count)
                }
            case .leave(let index):
                guard let choice = where_[index] else { continue }
                cluster[choice.node].remove(tasks[index], from: choice.gpus)
                allocated -= tasks[index].totalGPUMilli
                where_[index] = nil
                let node = choice.node
                fragment[node] = scorer.fragmentation(cpuLeft: cluster[node].cpuLeft, gpuLeft: cluster[node].gpuLeft, model: cluster[node].model)
                // Only this node changed: retry the queue, in order, against it.
                var position = 0
                while position < waiting.count {
                    let candidate = waiting[position]
                    if cluster[node].fits(tasks[candidate]) {
                        let gpus = ArrivalRun.gpus(
                            for: tasks[candidate], on: cluster[node], policy: policy,
                            scored: policy == .fgd ? scorer.score(tasks[candidate], on: cluster[node], fragmentation: fragment[node]).gpu : nil,
                            random: &random)
                        waiting.remove(at: position)
                        start(candidate, on: (node, gpus), at: now)
                    } else {
                        position += 1
                    }
                }
            }
            peakAllocatedMilli = max(peakAllocatedMilli, allocated)
            if timeline.last?.seconds == now {
                timeline[timeline.count - 1] = Point(seconds: now, allocatedMilli: allocated, waitingPods: waiting.count)
            } else {
                timeline.append(Point(seconds: now, allocatedMilli: allocated, waitingPods: waiting.count))
            }
        }
        neverPlaced = waiting.count
        spanSeconds = lastArrival - first
    }

    /// Time-averaged share of GPU capacity allocated between the first and the last arrival.
    public var meanAllocation: Double {
        spanSeconds > 0 && capacityMilli > 0 ? allocatedMilliSeconds / Double(spanSeconds) / Double(capacityMilli) : 0
    }

    /// The `q` quantile of waits (nearest rank), seconds.
    public func waitQuantile(_ q: Double) -> Int {
        guard !waits.isEmpty else { return 0 }
        let sorted = waits.sorted()
        return sorted[min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))]
    }

    public var meanWait: Double { waits.isEmpty ? 0 : Double(waits.reduce(0, +)) / Double(waits.count) }
}
