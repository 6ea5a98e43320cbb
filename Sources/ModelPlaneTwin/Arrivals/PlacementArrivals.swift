public import ModelPlaneCore

/// The arrival protocol run through ModelPlane's placement engine (`PlacementEngine`, `PlacementPolicy.standard`):
/// the trace's nodes become a `FleetSnapshot`, each task a `PlacementRequest`, and each decision is applied to the
/// snapshot on a `Statement`. With migrations allowed, an arrival that fits nowhere may move running tasks (path B).
public enum PlacementArrivals {
    struct Result {
        var arrivedMilli: [Int] = []
        var allocatedMilli: [Int] = []
        var fragmentMilli: [Double] = []
        var failedTasks = 0
        var migrations = 0
        var placements: [Int?] = []
    }

    static func run(nodes: [TraceNode], sequence: ArrivalSequence, workload: TargetWorkload, maxMigrations: Int) -> Result {
        var snapshot = snapshot(nodes, workload)
        var policy = PlacementPolicy.standard
        policy.preemption = false  // every task has the same priority
        policy.maxMigrationsPerPlacement = maxMigrations
        policy.trace = .summary(top: 0)
        let engine = PlacementEngine(policy: policy, snapshot: snapshot)
        let cache = engine.context.fragmentation
        func fragmentation(_ node: PlacementNode) -> Double {
            cache.value(cpuFreeMilli: node.cpuFreeMilli, freeMilli: Fragmentation.countedFree(node), gpuType: node.gpuType)
        }
        var fragment = snapshot.nodes.map(fragmentation)
        var clusterFragment = fragment.reduce(0, +)
        var result = Result()
        result.arrivedMilli.reserveCapacity(sequence.tasks.count)
        var arrived = 0
        var allocated = 0
        for (position, task) in sequence.tasks.enumerated() {
            arrived += task.totalGPUMilli
            let request = Self.request(task, id: "\(position)")
            let decision = engine.place(request, in: snapshot)
            if let placement = decision.placement {
                // The snapshot moves into the statement so the change happens in place, not on a copy of the fleet.
                var statement = Statement(consume snapshot)
                var touched = [placement.nodeIndex]
                do {
                    if case .repacked(let migrations) = decision.outcome {
                        for migration in migrations {
                            let from = statement.snapshot.nodeIndex(named: migration.from)!
                            let moved = try statement.evict(migration.workload, fromNode: from)
                            try statement.allocate(moved.request, at: migration.to)
                            touched += [from, migration.to.nodeIndex]
                        }
                        result.migrations += migrations.count
                    }
                    try statement.allocate(request, at: placement)
                    snapshot = statement.commit()
                    allocated += task.totalGPUMilli
                    for node in Set(touched) {
                        let updated = fragmentation(snapshot.nodes[node])
                        clusterFragment += updated - fragment[node]
                        fragment[node] = updated
                    }
                    result.placements.append(placement.nodeIndex)
                } catch {
                    preconditionFailure("the engine's decision for task \(position) does not apply: \(error)")
                }
            } else {
                result.failedTasks += 1
                result.placements.append(nil)
            }
            result.arrivedMilli.append(arrived)
            result.allocatedMilli.append(allocated)
            result.fragmentMilli.append(max(0, clusterFragment))
        }
        return result
    }

    /// The trace's nodes as placement sees them. The trace names GPU models but anonymizes most (G2, G3), so no
    /// catalog facts (efficiency, TDP) are attached: every node scores the same on them.
    public static func snapshot(_ nodes: [TraceNode], _ workload: TargetWorkload) -> FleetSnapshot {
        let placementNodes = nodes.map { node in
            PlacementNode(
                name: node.name, gpuType: node.gpuModel,
                gpus: (0..<node.gpuCount).map { PlacementGPU(index: $0, memoryBytes: 0) },
                cpuCapacityMilli: node.cpuMilli, memoryCapacityBytes: Double(node.memoryMiB) * 1_048_576)
        }
        return FleetSnapshot(nodes: placementNodes, shapes: workload.distribution)
    }

    public static func request(_ task: ShareTask, id: String) -> PlacementRequest {
        PlacementRequest(
            id: id, gpuCount: task.isCPUOnly ? 0 : task.gpuCount, gpuMilli: task.isCPUOnly ? 0 : task.gpuMilli, sharing: .any,
            cpuMilli: task.cpuMilli, memoryBytes: Double(task.memoryMiB) * 1_048_576, gpuTypes: task.gpuModels)
    }
}
