/// The ATC'23 arrival experiment over several seeds: the same task order per seed for every policy (as in the
/// paper), seeds run in parallel.
public struct ArrivalExperiment: Sendable {
    public let nodes: [TraceNode]
    public let pods: [TracePod]
    public let inflation: Double
    public let workload: TargetWorkload
    public let ties: TieBreak
    /// Running tasks ModelPlane may move per arrival (path B); 0 is the paper's protocol.
    public let maxMigrations: Int

    public init(nodes: [TraceNode], pods: [TracePod], inflation: Double, ties: TieBreak = .firstNode, maxMigrations: Int = 0) {
        self.nodes = nodes
        self.ties = ties
        self.maxMigrations = maxMigrations
        self.pods = pods
        self.inflation = inflation
        workload = TargetWorkload(tasks: pods.map(ShareTask.init))
    }

    public var capacityMilli: Int { nodes.reduce(0) { $0 + $1.gpuCount * ShareNode.gpuMilli } }

    public func sequence(seed: Int64) -> ArrivalSequence {
        ArrivalSequence(pods: pods, seed: seed, inflation: inflation, capacityMilli: capacityMilli)
    }

    /// One seed under one policy.
    public func run(_ policy: ArrivalPolicy, seed: Int64) -> ArrivalRun {
        ArrivalRun(nodes: nodes, sequence: sequence(seed: seed), policy: policy, workload: workload, ties: ties, maxMigrations: maxMigrations)
    }

    /// Every seed under `policy`, in seed order; `progress` is called after each finished run.
    public func run(_ policy: ArrivalPolicy, seeds: [Int64], progress: @escaping @Sendable () -> Void = {}) async -> [ArrivalRun] {
        await withTaskGroup(of: (Int, ArrivalRun).self) { group in
            for (position, seed) in seeds.enumerated() {
                group.addTask {
                    let result = run(policy, seed: seed)
                    progress()
                    return (position, result)
                }
            }
            var runs: [ArrivalRun?] = Array(repeating: nil, count: seeds.count)
            for await (position, run) in group { runs[position] = run }
            return runs.compactMap { $0 }
        }
    }
}
