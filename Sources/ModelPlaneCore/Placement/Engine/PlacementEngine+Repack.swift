extension PlacementEngine {
    /// Path B: the plan with the fewest migrations that frees a fitting slot. On a `Statement`, running workloads
    /// are taken off a candidate node (smallest first, or largest first — the shorter plan wins) until the request
    /// fits; the request is placed there and every moved workload placed again elsewhere by path A. A plan is kept
    /// only if every moved workload lands; P0/P1 workloads are never moved for a lower-priority request.
    func repack(_ request: PlacementRequest, _ snapshot: FleetSnapshot, candidates: [Int], trace: DecisionTrace) -> PlacementDecision? {
        let limit = policy.maxMigrationsPerPlacement
        // The candidates with the most free GPU first: they need the fewest moves.
        let ordered = candidates.sorted { snapshot.nodes[$0].freeGPUMilli > snapshot.nodes[$1].freeGPUMilli }.prefix(8)
        var best: (placement: Placement, migrations: [Migration])?
        for index in ordered {
            let node = snapshot.nodes[index]
            let movable = node.workloads.filter { $0.movable && !($0.priority.isProtected && $0.priority < request.priority) }
            let footprint: (RunningWorkload) -> Int = { $0.gpus.count * $0.gpuMilli }
            // Three orders: smallest first, largest first, and GPU by GPU from the least used (frees whole GPUs soonest).
            let used: (RunningWorkload) -> Int = { workload in
                workload.gpus.map { position in 1_000 - max(0, node.gpus[position].freeMilli) }.min() ?? 0
            }
            let byGPU = movable.sorted { (used($0), $0.gpus.first ?? 0, footprint($0)) < (used($1), $1.gpus.first ?? 0, footprint($1)) }
            for order in [movable.sorted { footprint($0) < footprint($1) }, movable.sorted { footprint($0) > footprint($1) }, byGPU] {
                guard let plan = plan(request, snapshot, node: index, moving: order, limit: min(limit, (best?.migrations.count ?? limit + 1) - 1))
                else {
                    continue
                }
                best = plan
            }
            if best?.migrations.count == 1 { break }  // cannot do better than one move
        }
        guard let best else { return nil }
        var trace = trace
        trace.path = "B (repack)"
        trace.winner = best.placement.node
        return PlacementDecision(
            request: request, outcome: .repacked(best.migrations), placement: best.placement,
            podChanges: PodChanges(best.placement, request: request),
            reasons: best.migrations.map { "moves \($0.workload) from \($0.from) to \($0.to.node) GPU \($0.to.gpus)" }, trace: trace)
    }

    private func plan(_ request: PlacementRequest, _ snapshot: FleetSnapshot, node index: Int, moving order: [RunningWorkload], limit: Int) -> (
        placement: Placement, migrations: [Migration]
    )? {
        guard limit > 0 else { return nil }
        var statement = Statement(snapshot)
        var moved: [RunningWorkload] = []
        var fit: GPUChoice?
        for workload in order.prefix(limit) {
            guard let removed = try? statement.evict(workload.id, fromNode: index) else { return nil }
            moved.append(removed)
            if case .success(let choice, _) = evaluate(request, statement.snapshot.nodes[index], explain: false) {
                fit = choice
                break
            }
        }
        guard let fit else { return nil }
        let placement = self.placement(request, statement.snapshot.nodes[index], nodeIndex: index, fit)
        guard (try? statement.allocate(request, at: placement)) != nil else { return nil }
        var migrations: [Migration] = []
        defer { prepare(request) }
        for workload in moved {
            var scratch = DecisionTrace()
            let again = workload.request
            prepare(again)
            guard let target = scan(again, statement.snapshot, trace: &scratch, excluding: [index]).best else { return nil }
            let landing = self.placement(again, statement.snapshot.nodes[target.node], nodeIndex: target.node, target.choice)
            guard (try? statement.allocate(again, at: landing)) != nil else { return nil }
            migrations.append(Migration(workload: workload.id, from: snapshot.nodes[index].name, to: landing))
        }
        return (placement, migrations)
    }
}
