/// How a policy chooses among nodes with the same best (integer) score.
public enum TieBreak: String, Sendable, CaseIterable {
    /// The first such node in node order. With it the six baselines land within 0.71 pp of the paper's medians
    /// (docs/twin-arrivals.md); the artifact's scheduler fork evidently does not spread ties.
    case firstNode = "first"
    /// Uniformly at random (upstream kube-scheduler); Clustering, Packing and FGD then lose 3–5 pp.
    case random
}

/// One run of the arrival protocol: every task of a sequence offered once, in order, to a policy on a cluster
/// that starts empty; no departures, no retries. After each task it records what had arrived, what is allocated
/// and the cluster's fragmentation (GPU thousandths).
public struct ArrivalRun: Sendable {
    public let policy: ArrivalPolicy
    public let seed: Int64
    public let capacityMilli: Int
    public private(set) var arrivedMilli: [Int] = []
    public private(set) var allocatedMilli: [Int] = []
    public private(set) var fragmentMilli: [Double] = []
    public private(set) var failedTasks = 0
    /// Where each task went (node index), nil when it failed.
    public private(set) var placements: [Int?] = []
    /// Running tasks moved to make room (ModelPlane's path B, with `maxMigrations` > 0).
    public private(set) var migrations = 0

    /// - Parameter maxMigrations: for `.modelplane`, the running tasks one arrival may move (0: none, the paper's
    ///   protocol).
    public init(
        nodes: [TraceNode], sequence: ArrivalSequence, policy: ArrivalPolicy, workload: TargetWorkload, ties: TieBreak = .firstNode,
        maxMigrations: Int = 0
    ) {
        self.policy = policy
        self.seed = sequence.seed
        var cluster = nodes.map(ShareNode.init)
        capacityMilli = cluster.reduce(0) { $0 + $1.gpuCount * ShareNode.gpuMilli }
        if policy == .modelplane {
            let result = PlacementArrivals.run(nodes: nodes, sequence: sequence, workload: workload, maxMigrations: maxMigrations)
            (arrivedMilli, allocatedMilli, fragmentMilli) = (result.arrivedMilli, result.allocatedMilli, result.fragmentMilli)
            (failedTasks, placements, migrations) = (result.failedTasks, result.placements, result.migrations)
            return
        }
        var random = sequence.random
        var scorer = PolicyScorer(policy: policy, workload: workload)
        var fragment = cluster.map { scorer.fragmentation(cpuLeft: $0.cpuLeft, gpuLeft: $0.gpuLeft, model: $0.model) }
        var clusterFragment = fragment.reduce(0, +)
        var arrived = 0
        var allocated = 0
        var feasible: [Int] = []
        var scores: [(score: Int, gpu: Int?)] = []
        arrivedMilli.reserveCapacity(sequence.tasks.count)
        for task in sequence.tasks {
            arrived += task.totalGPUMilli
            guard
                let chosen = Self.choose(
                    task, cluster: cluster, fragment: fragment, scorer: &scorer, policy: policy, ties: ties, random: &random, feasible: &feasible,
                    scores: &scores)
            else {
                failedTasks += 1
                placements.append(nil)
                record(arrived, allocated, clusterFragment)
                continue
            }
            let node = chosen.node
            cluster[node].place(task, on: chosen.gpus)
            allocated += task.totalGPUMilli
            let updated = scorer.fragmentation(cpuLeft: cluster[node].cpuLeft, gpuLeft: cluster[node].gpuLeft, model: cluster[node].model)
            clusterFragment += updated - fragment[node]
            fragment[node] = updated
            placements.append(node)
            record(arrived, allocated, clusterFragment)
        }
    }

    /// The node and GPUs `policy` picks for `task`, or nil when no node fits; draws from `random` exactly where the
    /// artifact does. `feasible` and `scores` are scratch buffers the caller keeps between calls.
    static func choose(
        _ task: ShareTask, cluster: [ShareNode], fragment: [Double], scorer: inout PolicyScorer, policy: ArrivalPolicy, ties: TieBreak,
        random: inout GoRandom, feasible: inout [Int], scores: inout [(score: Int, gpu: Int?)]
    ) -> (node: Int, gpus: [Int])? {
        feasible.removeAll(keepingCapacity: true)
        for index in cluster.indices where cluster[index].fits(task) { feasible.append(index) }
        var chosen: (node: Int, gpu: Int?)?
        if feasible.count == 1 {
            // One candidate: kube-scheduler skips scoring (and draws nothing); FGD still picks its GPU.
            let node = feasible[0]
            chosen = (node, policy == .fgd ? scorer.score(task, on: cluster[node], fragmentation: fragment[node]).gpu : nil)
        } else if feasible.count > 1 {
            if policy == .random {
                chosen = (feasible[random.intn(feasible.count)], nil)
            } else {
                scores.removeAll(keepingCapacity: true)
                for node in feasible { scores.append(scorer.score(task, on: cluster[node], fragmentation: fragment[node])) }
                if policy == .bestFit { normalize(&scores) }
                // The best score; among equals the first node (`.firstNode`) or a uniform pick by reservoir sampling
                // in node order (`.random`, upstream kube-scheduler's selectHost).
                var best = 0
                var tied = 1
                for position in 1..<feasible.count {
                    if scores[position].score > scores[best].score {
                        best = position
                        tied = 1
                    } else if scores[position].score == scores[best].score, ties == .random {
                        tied += 1
                        if random.intn(tied) == 0 { best = position }
                    }
                }
                chosen = (feasible[best], scores[best].gpu)
            }
        }
        guard let chosen else { return nil }
        return (chosen.node, gpus(for: task, on: cluster[chosen.node], policy: policy, scored: chosen.gpu, random: &random))
    }

    /// The GPUs of the chosen node: Random picks a fitting GPU uniformly for a shared task, FGD the one its score chose,
    /// the others the best fit.
    static func gpus(for task: ShareTask, on node: ShareNode, policy: ArrivalPolicy, scored: Int?, random: inout GoRandom) -> [Int] {
        if task.isSharing, policy == .random {
            var pick = -1
            var candidates = 0
            for (gpu, left) in node.gpuLeft.enumerated() where left >= task.gpuMilli {
                candidates += 1
                if random.intn(candidates) == 0 { pick = gpu }
            }
            return [pick]
        }
        if task.isSharing, policy == .fgd, let gpu = scored { return [gpu] }
        return node.bestFitGPUs(for: task)
    }

    private mutating func record(_ arrived: Int, _ allocated: Int, _ fragment: Double) {
        arrivedMilli.append(arrived)
        allocatedMilli.append(allocated)
        fragmentMilli.append(max(0, fragment))
    }

    /// kube-scheduler's min–max normalization to 0…100 in integers (all 0 when every score is equal).
    static func normalize(_ scores: inout [(score: Int, gpu: Int?)]) {
        guard let low = scores.map(\.score).min(), let high = scores.map(\.score).max() else { return }
        for index in scores.indices {
            scores[index].score = high == low ? 0 : (scores[index].score - low) * 100 / (high - low)
        }
    }
}
