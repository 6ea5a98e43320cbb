/// The outcome of re-placing a failed node's workloads.
public struct FailureRecovery: Sendable, Equatable {
    /// The fleet after: the node marked unhealthy, its workloads re-placed where they fit.
    public var snapshot: FleetSnapshot
    /// Each re-placed workload and where it went, in the order they were placed (priority order).
    public var replaced: [(workload: String, placement: Placement)]
    /// Workloads that fit nowhere, with the reasons; they wait in the queue.
    public var stranded: [(workload: String, reasons: [String])]

    public static func == (lhs: FailureRecovery, rhs: FailureRecovery) -> Bool {
        lhs.snapshot == rhs.snapshot && lhs.replaced.map(\.workload) == rhs.replaced.map(\.workload)
            && lhs.replaced.map(\.placement) == rhs.replaced.map(\.placement) && lhs.stranded.map(\.workload) == rhs.stranded.map(\.workload)
    }
}

extension PlacementEngine {
    /// Node failure: the node is marked unhealthy, its workloads released and placed again elsewhere in priority
    /// order (P0 first; equal priorities in the order they ran), each by the full decision (preemption included,
    /// so a P0 may displace lower priorities on other nodes).
    public func recover(fromFailureOf nodeName: String, reason: String, in snapshot: FleetSnapshot) throws(InputError) -> FailureRecovery {
        guard let index = snapshot.nodeIndex(named: nodeName) else {
            throw InputError("node failure", "no node named \(nodeName)", expected: "a node of the snapshot")
        }
        var statement = Statement(snapshot)
        let orphans = snapshot.nodes[index].workloads
        for workload in orphans { try statement.evict(workload.id, fromNode: index) }
        var fleet = statement.commit()
        fleet.nodes[index].unhealthyReason = reason
        let order = orphans.enumerated().sorted { ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset) }.map(\.element)
        var recovery = FailureRecovery(snapshot: fleet, replaced: [], stranded: [])
        for workload in order {
            let request = workload.request
            let decision = place(request, in: recovery.snapshot)
            guard let placement = decision.placement else {
                recovery.stranded.append((workload.id, decision.reasons))
                continue
            }
            var step = Statement(recovery.snapshot)
            if case .preempting(let victims) = decision.outcome {
                for victim in victims { try step.evict(victim, fromNode: placement.nodeIndex) }
            }
            try step.allocate(request, at: placement)
            recovery.snapshot = step.commit()
            recovery.replaced.append((workload.id, placement))
        }
        return recovery
    }
}
