extension PlacementEngine {
    /// Path A on `candidates` only: the best placement among those nodes as they are, or nil when none takes the
    /// request directly (or the request contradicts itself, or its tenant's quota is spent). For callers that know
    /// which nodes changed, such as a queue retried against the node a departure freed.
    public func placeDirect(_ request: PlacementRequest, in snapshot: FleetSnapshot, candidates: [Int]) -> Placement? {
        context.update(snapshot)
        prepare(request)
        guard request.contradictions().isEmpty, TenantQuotaCheck.check(request, snapshot) == nil else { return nil }
        var best: Ranked?
        for index in candidates where snapshot.nodes.indices.contains(index) {
            guard case .success(let choice, let key) = evaluate(request, snapshot.nodes[index], explain: false), !choice.needsMPSReconfiguration
            else { continue }
            if best == nil || key > best!.key { best = Ranked(node: index, choice: choice, key: key) }
        }
        return best.map { placement(request, snapshot.nodes[$0.node], nodeIndex: $0.node, $0.choice) }
    }
}
