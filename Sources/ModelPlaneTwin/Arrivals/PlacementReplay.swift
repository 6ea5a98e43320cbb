import ModelPlaneCore

/// The time-ordered replay (`TimedReplay`) through ModelPlane's placement engine: each arrival is one
/// `PlacementEngine.place` on the current snapshot, applied on a `Statement`; with migrations allowed, an arrival
/// that fits nowhere may move running pods (path B). A moved pod keeps its departure time (the restart it costs is
/// not modelled) and is counted. Departures free their node, and the queue is retried, in order, against that node
/// alone (`placeDirect`), as for the baselines.
enum PlacementReplay {
    struct Result {
        var placed = 0
        var waits: [Int] = []
        var maximumWaiting = 0
        var timeline: [TimedReplay.Point] = []
        var allocatedMilliSeconds = 0.0
        var spanSeconds = 0
        var peakAllocatedMilli = 0
        var neverPlaced = 0
        var migrations = 0
    }

    enum Event: Sendable {
        case arrive(Int)
        case leave(Int)
    }

    static func run(nodes: [TraceNode], pods: [TracePod], workload: TargetWorkload, compression: Double, maxMigrations: Int) -> Result {
        var snapshot = PlacementArrivals.snapshot(nodes, workload)
        var policy = PlacementPolicy.standard
        policy.preemption = false  // every pod has the same priority
        policy.maxMigrationsPerPlacement = maxMigrations
        policy.trace = .summary(top: 0)
        let engine = PlacementEngine(policy: policy, snapshot: snapshot)
        let tasks = pods.map(ShareTask.init)
        let requests = tasks.enumerated().map { PlacementArrivals.request($1, id: "\($0)") }
        var result = Result()
        var queue = EventQueue<Event>()
        let scale = max(1, compression)
        let arrival = pods.map { Int((Double($0.creationTime ?? 0) / scale).rounded()) }
        for (index, time) in arrival.enumerated() { queue.schedule(.arrive(index), at: Int64(time)) }
        var waiting: [Int] = []
        var node: [Int?] = Array(repeating: nil, count: pods.count)
        var allocated = 0
        var last = Int(queue.nextTime ?? 0)
        let first = last
        let lastArrival = arrival.max() ?? 0

        /// The snapshot moved into a statement: the outer reference is dropped first, so the statement changes the
        /// fleet in place rather than copying it (a `consume` cannot reach a captured variable).
        func statement() -> Statement {
            let taken = Statement(snapshot)
            snapshot = FleetSnapshot(nodes: [])
            return taken
        }

        /// Applies a decision (its migrations first) and starts the pod.
        func start(_ index: Int, at placement: Placement, migrations: [Migration], now: Int) {
            var statement = statement()
            do {
                for migration in migrations {
                    let from = statement.snapshot.nodeIndex(named: migration.from)!
                    let moved = try statement.evict(migration.workload, fromNode: from)
                    try statement.allocate(moved.request, at: migration.to)
                    node[Int(migration.workload)!] = migration.to.nodeIndex
                }
                try statement.allocate(requests[index], at: placement)
            } catch {
                preconditionFailure("the engine's decision for pod \(index) does not apply: \(error)")
            }
            snapshot = statement.commit()
            result.migrations += migrations.count
            node[index] = placement.nodeIndex
            allocated += tasks[index].totalGPUMilli
            result.placed += 1
            result.waits.append(now - arrival[index])
            let ran = (pods[index].deletionTime ?? now) - (pods[index].scheduledTime ?? pods[index].creationTime ?? now)
            queue.schedule(.leave(index), at: Int64(now + max(1, ran)))
        }

        while let entry = queue.pop() {
            let now = Int(entry.time)
            if last < lastArrival { result.allocatedMilliSeconds += Double(allocated) * Double(min(now, lastArrival) - last) }
            last = now
            switch entry.event {
            case .arrive(let index):
                let decision = engine.place(requests[index], in: snapshot)
                if let placement = decision.placement {
                    if case .repacked(let migrations) = decision.outcome {
                        start(index, at: placement, migrations: migrations, now: now)
                    } else {
                        start(index, at: placement, migrations: [], now: now)
                    }
                } else {
                    waiting.append(index)
                    result.maximumWaiting = max(result.maximumWaiting, waiting.count)
                }
            case .leave(let index):
                guard let freed = node[index] else { continue }
                var statement = statement()
                do {
                    _ = try statement.evict(requests[index].id, fromNode: freed)
                } catch {
                    preconditionFailure("pod \(index) is not on node \(freed): \(error)")
                }
                snapshot = statement.commit()
                allocated -= tasks[index].totalGPUMilli
                node[index] = nil
                // Only this node changed: retry the queue, in order, against it.
                var position = 0
                while position < waiting.count {
                    let candidate = waiting[position]
                    if let placement = engine.placeDirect(requests[candidate], in: snapshot, candidates: [freed]) {
                        waiting.remove(at: position)
                        start(candidate, at: placement, migrations: [], now: now)
                    } else {
                        position += 1
                    }
                }
            }
            result.peakAllocatedMilli = max(result.peakAllocatedMilli, allocated)
            if result.timeline.last?.seconds == now {
                result.timeline[result.timeline.count - 1] = TimedReplay.Point(seconds: now, allocatedMilli: allocated, waitingPods: waiting.count)
            } else {
                result.timeline.append(TimedReplay.Point(seconds: now, allocatedMilli: allocated, waitingPods: waiting.count))
            }
        }
        result.neverPlaced = waiting.count
        result.spanSeconds = lastArrival - first
        return result
    }
}
