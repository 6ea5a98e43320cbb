extension PlacementEngine {
    /// Path C: on the nodes where only running work is in the way, the fewest and least important workloads of
    /// strictly lower priority whose eviction makes the request fit. A P0 or P1 workload is therefore never
    /// preempted by anything of lower priority. The plan evicting the least important victims wins, then the one
    /// with fewest victims, then node order.
    func preempt(_ request: PlacementRequest, _ snapshot: FleetSnapshot, candidates: [Int], trace: DecisionTrace) -> PlacementDecision? {
        var best: (node: Int, victims: [RunningWorkload], choice: GPUChoice, modified: PlacementNode)?
        for index in candidates {
            var node = snapshot.nodes[index]
            let eligible = node.workloads.filter { request.priority.outranks($0.priority) }.sorted {
                $0.priority != $1.priority ? $0.priority > $1.priority : $0.gpus.count * $0.gpuMilli > $1.gpus.count * $1.gpuMilli
            }
            var victims: [RunningWorkload] = []
            for workload in eligible {
                guard let removed = node.release(workload.id) else { continue }
                victims.append(removed)
                if case .success(let choice, _) = evaluate(request, node, explain: false) {
                    if let current = best {
                        let mostImportant = victims.map(\.priority).min()!
                        let currentMost = current.victims.map(\.priority).min()!
                        if mostImportant > currentMost || (mostImportant == currentMost && victims.count < current.victims.count) {
                            best = (index, victims, choice, node)
                        }
                    } else {
                        best = (index, victims, choice, node)
                    }
                    break
                }
            }
        }
        guard let best else { return nil }
        let placement = self.placement(request, best.modified, nodeIndex: best.node, best.choice)
        var trace = trace
        trace.path = "C (preempting)"
        trace.winner = placement.node
        let names = best.victims.map(\.id)
        return PlacementDecision(
            request: request, outcome: .preempting(names), placement: placement, podChanges: PodChanges(placement, request: request),
            reasons: best.victims.map { "preempts \($0.id) (\($0.priority), below \(request.priority)) on \(placement.node)" }, trace: trace)
    }
}
