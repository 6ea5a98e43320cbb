/// The placement engine: filters, scores in tiers, the decision paths (A direct, B repack, C preempt or queue)
/// and the decision trace. Every decision reads one immutable `FleetSnapshot`; applying it is the caller's
/// `Statement`.
///
/// One engine keeps fleet-wide caches (fragmentation by node state) between decisions, so it is not shared across
/// threads: use one per task.
public final class PlacementEngine {
    public let policy: PlacementPolicy
    public let context: PlacementContext
    private let fragmentationTier: Int?
    private let fragmentationEntry: Int?
    /// Per tier, the entries that vary for the request being placed (constant ones cannot change the ranking): those
    /// that read the GPU choice, scored per choice, and those that do not, scored once per node.
    private var active: [[(entry: Int, plugin: any ScorePlugin, weight: Int)]] = []
    private var nodeActive: [[(entry: Int, plugin: any ScorePlugin, weight: Int)]] = []
    /// The choice `evaluate` mutates in place (swapped out while in use), so ranking a node's choices allocates
    /// only for the best of them.
    private var scratch = GPUChoice(gpus: [])
    /// Every filter and active score depends only on node state for the request being placed: nodes in the same
    /// state are evaluated once (the first of them wins any tie anyway).
    private var stateOnly = false

    public init(policy: PlacementPolicy = .standard, snapshot: FleetSnapshot) {
        self.policy = policy
        context = PlacementContext(snapshot: snapshot)
        var found: (Int, Int)?
        for (tier, scoreTier) in policy.tiers.enumerated() {
            if let entry = scoreTier.entries.firstIndex(where: { $0.plugin is FragmentationScore }) { found = (tier, entry) }
        }
        fragmentationTier = found?.0
        fragmentationEntry = found?.1
    }

    // MARK: path A

    /// Decides where `request` goes in `snapshot`: directly (path A); else, when the reasons are resolvable, by
    /// moving running workloads (path B, when the policy allows migrations) or preempting lower priorities
    /// (path C); else it is queued or unschedulable with the reasons.
    public func place(_ request: PlacementRequest, in snapshot: FleetSnapshot) -> PlacementDecision {
        context.update(snapshot)
        prepare(request)
        var trace = DecisionTrace()
        let problems = request.contradictions()
        if !problems.isEmpty {
            trace.requestProblems = problems
            return PlacementDecision(request: request, outcome: .unschedulable, reasons: problems, trace: trace)
        }
        if let quota = TenantQuotaCheck.check(request, snapshot) {
            trace.requestProblems = [quota]
            return PlacementDecision(request: request, outcome: .queued, reasons: ["\(TenantQuotaCheck.name): \(quota)"], trace: trace)
        }
        let scan = self.scan(request, snapshot, trace: &trace)
        if let best = scan.best, best.choice.needsMPSReconfiguration, !policy.mpsReconfigurationAllowed, request.isFractional {
            // An MPS configuration conflict: no GPU with MPS has room, and reconfiguring is not allowed. Fall back to
            // an exclusive GPU.
            var whole = request
            (whole.gpuMilli, whole.sharing) = (1_000, .exclusive)
            var fallback = place(whole, in: snapshot)
            fallback.request = request
            fallback.reasons.insert("MPS configuration conflict: no MPS GPU has \(percent(request.gpuMilli)) free; an exclusive GPU instead", at: 0)
            return fallback
        }
        if let best = scan.best {
            let placement = self.placement(request, snapshot.nodes[best.node], nodeIndex: best.node, best.choice)
            trace.winner = placement.node
            trace.path = "A (direct)"
            return PlacementDecision(
                request: request, outcome: best.choice.needsMPSReconfiguration ? .needsMPSReconfiguration : .placed, placement: placement,
                podChanges: PodChanges(placement, request: request),
                reasons: best.choice.needsMPSReconfiguration
                    ? ["GPU \(placement.gpus.first ?? 0) of \(placement.node) is idle but MPS is not enabled there"] : [],
                trace: trace)
        }
        let reasons = summarize(request, snapshot, scan.failureCounts)
        if scan.resolvableNodes.isEmpty {
            return PlacementDecision(request: request, outcome: .unschedulable, reasons: reasons, trace: trace)
        }
        // Path B before C: moving a workload costs it a restart; preempting costs it its run.
        if policy.maxMigrationsPerPlacement > 0, let decision = repack(request, snapshot, candidates: scan.resolvableNodes, trace: trace) {
            return decision
        }
        if policy.preemption, let decision = preempt(request, snapshot, candidates: scan.resolvableNodes, trace: trace) { return decision }
        return PlacementDecision(request: request, outcome: .queued, reasons: reasons, trace: trace)
    }

    struct Ranked {
        var node: Int
        var choice: GPUChoice
        var key: RankKey
    }

    struct ScanResult {
        var best: Ranked?
        /// Failing nodes counted per filter, with the first of them (its reason is written afterwards, only where shown).
        var failureCounts: [(plugin: String, count: Int, firstNode: Int)] = []
        /// Every failing node, kept only for a full trace.
        var failedNodes: [Int] = []
        var resolvableNodes: [Int] = []

        mutating func fail(_ index: Int, _ plugin: String, resolvable: Bool, keep: Bool) {
            if let position = failureCounts.firstIndex(where: { $0.plugin == plugin }) {
                failureCounts[position].count += 1
            } else {
                failureCounts.append((plugin, 1, index))
            }
            if resolvable { resolvableNodes.append(index) }
            if keep { failedNodes.append(index) }
        }
    }

    /// Every node through the filters and the scores; the best choice by rank key, ties to the first node.
    func scan(_ request: PlacementRequest, _ snapshot: FleetSnapshot, trace: inout DecisionTrace, excluding: Set<Int> = []) -> ScanResult {
        var result = ScanResult()
        var top: [Ranked] = []
        let keep: Int
        switch policy.trace {
        case .full: keep = Int.max
        case .summary(let count): keep = count
        }
        var seen: [Int: (node: Int, evaluation: Evaluation)] = [:]
        let count = snapshot.nodes.count
        let scoreAtMost = count <= policy.fullScanUpTo ? Int.max : max(policy.minimumScored, count * policy.percentScored / 100)
        let bounded = !request.isCPUOnly && request.sharing != .mig && request.replicaGroup == nil
        let keepFailed: Bool
        if case .full = policy.trace { keepFailed = true } else { keepFailed = false }
        // Read the nodes through a buffer: a node handed to a plugin is then borrowed, not copied (no retains).
        snapshot.nodes.withUnsafeBufferPointer { nodes in
            for index in nodes.indices where excluding.isEmpty || !excluding.contains(index) {
                if trace.feasibleNodes >= scoreAtMost { break }
                trace.evaluatedNodes += 1
                if bounded, let failure = capacityBound(request, nodes, index) {
                    result.fail(index, failure, resolvable: true, keep: keepFailed)
                    continue
                }
                let evaluation: Evaluation
                if stateOnly {
                    let key = nodes[index].stateHash
                    if let known = seen[key], PlacementNode.sameState(nodes, known.node, index) {
                        if case .success = known.evaluation {
                            // The same state as an earlier node, which wins the tie: feasible, never the best.
                            trace.feasibleNodes += 1
                            continue
                        }
                        evaluation = known.evaluation
                    } else {
                        evaluation = evaluate(request, snapshot.nodes[index], explain: false)
                        seen[key] = (index, evaluation)
                    }
                } else {
                    evaluation = evaluate(request, snapshot.nodes[index], explain: false)
                }
                switch evaluation {
                case .failure(let plugin, _, let resolvable):
                    result.fail(index, plugin, resolvable: resolvable, keep: keepFailed)
                case .success(let choice, let key):
                    trace.feasibleNodes += 1
                    if result.best == nil || key > result.best!.key { result.best = Ranked(node: index, choice: choice, key: key) }
                    if keep > 0 { Self.insert(Ranked(node: index, choice: choice, key: key), into: &top, keep: keep) }
                }
            }
        }
        for entry in result.failureCounts { trace.failuresByPlugin[entry.plugin, default: 0] += entry.count }
        trace.nodes = top.map { ranked in
            traceEntry(request, snapshot.nodes[ranked.node], ranked, winner: ranked.node == result.best?.node)
        }
        if case .full = policy.trace {
            for failed in result.failedNodes {
                let node = snapshot.nodes[failed]
                if case .failure(let plugin, let reason, let resolvable) = evaluate(request, node, explain: true) {
                    trace.nodes.append(
                        .init(
                            node: node.name, failedFilter: plugin, reason: reason, resolvable: resolvable, gpus: [], scores: [], tierTotals: [],
                            winner: false))
                }
            }
        }
        return result
    }

    /// A node that cannot hold the request's GPUs for capacity alone, decided from its summary without running the
    /// plugins: "gpu-share" (resolvable), exactly as the filters would conclude. Nil when the filters must decide
    /// (a node cordoned, unhealthy, partitioned, of another type, too small, short of CPU, or with room).
    @inline(__always)
    func capacityBound(_ request: PlacementRequest, _ nodes: UnsafeBufferPointer<PlacementNode>, _ index: Int) -> String? {
        guard nodes[index].uniformGPUs, !nodes[index].cordoned, nodes[index].unhealthyReason == nil,
            nodes[index].gpuCount >= request.gpuCount, request.cpuMilli <= nodes[index].cpuFreeMilli,
            request.memoryBytes <= nodes[index].memoryFreeBytes, request.gpuTypes.isEmpty || request.gpuTypes.contains(nodes[index].gpuType ?? "")
        else { return nil }
        if request.isFractional, request.sharing != .exclusive {
            return !request.throttlingDeclared && nodes[index].maxFreeMilli < request.gpuMilli ? "gpu-share" : nil
        }
        return nodes[index].idleGPUs < request.gpuCount ? "gpu-share" : nil
    }

    enum Evaluation {
        case failure(String, String, Bool)
        case success(GPUChoice, RankKey)
    }

    /// The node's filters, its GPU choices and the best of them. The choices are ranked as they are found, in one
    /// reused `GPUChoice`: no list of them is built (each list and each choice's GPU array was a heap allocation,
    /// per node scanned).
    func evaluate(_ request: PlacementRequest, _ node: PlacementNode, explain: Bool) -> Evaluation {
        for filter in policy.nodeFilters {
            if case .fail(let reason, let resolvable) = filter.check(request, node, explain: explain) {
                return .failure(filter.name, reason, resolvable)
            }
        }
        if request.isCPUOnly {
            let choice = GPUChoice(gpus: [])
            return .success(choice, rank(request, node, choice, base: nodeKey(request, node)))
        }
        // A capacity bound, exact on nodes whose GPUs are all healthy and unpartitioned: what the share filter
        // would conclude GPU by GPU.
        if !explain, node.uniformGPUs, request.sharing != .mig {
            if request.isFractional, request.sharing != .exclusive, !request.throttlingDeclared, node.maxFreeMilli < request.gpuMilli {
                return .failure("gpu-share", "", true)
            }
            if !request.isFractional || request.sharing == .exclusive, node.idleGPUs < request.gpuCount { return .failure("gpu-share", "", true) }
        }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: max(1, node.gpus.count)) { buffer in
            let count: Int
            switch passingGPUs(request, node, explain: explain, into: buffer) {
            case .failure(let plugin, let reason, let resolvable): return .failure(plugin, reason, resolvable)
            case .passing(let passed): count = passed
            }
            let passing = UnsafeBufferPointer(rebasing: buffer[0..<count])
            let base = nodeKey(request, node)
            if !request.isFractional && request.sharing != .mig {
                let chosen = Self.wholeGPUs(request.gpuCount, passing, node)
                if request.topology == .nvlinkRequired, request.gpuCount > 1 {
                    let domain = node.gpus[chosen[0]].nvlinkDomain
                    if domain == nil || !chosen.allSatisfy({ node.gpus[$0].nvlinkDomain == domain }) {
                        guard explain else { return .failure("topology", "", true) }
                        var largest: [Int: Int] = [:]
                        for position in passing { if let domain = node.gpus[position].nvlinkDomain { largest[domain, default: 0] += 1 } }
                        let most = largest.values.max() ?? 0
                        return .failure(
                            "topology", "no NVLink domain has \(request.gpuCount) free GPUs (largest: \(most), short \(request.gpuCount - most))",
                            true)
                    }
                }
                let choice = GPUChoice(gpus: chosen)
                return .success(choice, rank(request, node, choice, base: base))
            }
            // One GPU per choice: a MIG slot on each passing GPU, or a share on each distinct GPU state. The scratch
            // choice is mutated in place; it is copied only when it becomes the best.
            var choice = GPUChoice(gpus: [])
            swap(&choice, &scratch)
            defer { swap(&choice, &scratch) }
            var best: (GPUChoice, RankKey)?
            for (offset, position) in passing.enumerated() {
                if request.sharing == .mig, let profile = request.migProfile {
                    choice.migSlot = node.gpus[position].migSlots.firstIndex { $0.profile == profile && $0.holder == nil }
                    choice.needsMPSReconfiguration = false
                } else {
                    let free = node.gpus[position].freeMilli
                    let sharing = node.gpus[position].sharing
                    if passing[0..<offset].contains(where: { node.gpus[$0].freeMilli == free && node.gpus[$0].sharing == sharing }) { continue }
                    choice.migSlot = nil
                    choice.needsMPSReconfiguration = node.gpus[position].isIdle && sharing == .whole && !node.mpsEnabled
                }
                if choice.gpus.count == 1 { choice.gpus[0] = position } else { choice.gpus = [position] }
                let key = rank(request, node, choice, base: base)
                if best == nil || key > best!.1 || (key == best!.1 && key.tieBreak < best!.1.tieBreak) { best = (choice, key) }
            }
            guard let best else { return .failure("gpu-share", explain ? "no GPU choice" : "", true) }
            return .success(best.0, best.1)
        }
    }

    enum Passing {
        case failure(String, String, Bool)
        case passing(Int)
    }

    /// The node's GPUs that pass every GPU filter, written to `buffer` (positions in `node.gpus`); a failure when
    /// fewer than the request's count pass.
    func passingGPUs(_ request: PlacementRequest, _ node: PlacementNode, explain: Bool, into buffer: UnsafeMutableBufferPointer<Int>) -> Passing {
        var count = 0
        var firstFailure: (String, String, Bool)?
        var anyResolvable = false
        // On a uniform node (healthy, unpartitioned GPUs) a GPU without room fails the share filter: skip the plugins.
        let quick = !explain && node.uniformGPUs && request.sharing != .mig
        let wantsWhole = !request.isFractional || request.sharing == .exclusive
        for position in node.gpus.indices {
            if quick {
                let free = node.gpus[position].freeMilli
                let idle = free >= 1_000 && node.gpus[position].mpsClients.isEmpty
                if wantsWhole ? !idle : (!request.throttlingDeclared && free < request.gpuMilli) || (!idle && node.gpus[position].sharing == .whole) {
                    if firstFailure == nil { firstFailure = ("gpu-share", "", true) }
                    anyResolvable = true
                    continue
                }
            }
            var failed = false
            for filter in policy.gpuFilters {
                if case .fail(let reason, let resolvable) = filter.check(request, node.gpus[position], on: node, context, explain: explain) {
                    if firstFailure == nil || (resolvable && !(firstFailure!.2)) { firstFailure = (filter.name, reason, resolvable) }
                    anyResolvable = anyResolvable || resolvable
                    failed = true
                    break
                }
            }
            if !failed {
                buffer[count] = position
                count += 1
            }
        }
        guard count >= request.gpuCount else {
            let (plugin, reason, _) = firstFailure ?? ("gpu-share", "", true)
            let summary = explain && request.gpuCount > 1 ? "\(count) of \(request.gpuCount) GPUs fit; \(reason)" : reason
            return .failure(plugin, summary, anyResolvable)
        }
        return .passing(count)
    }

    /// Whole GPUs: within one NVLink domain when one has enough (the domain with the fewest free, to keep larger
    /// domains whole), else within one NUMA node, else the lowest indices.
    static func wholeGPUs(_ count: Int, _ passing: UnsafeBufferPointer<Int>, _ node: PlacementNode) -> [Int] {
        guard count > 1 else { return Array(passing.prefix(count)) }
        for byDomain in [true, false] {
            @inline(__always) func group(_ position: Int) -> Int? {
                byDomain ? node.gpus[position].nvlinkDomain : node.gpus[position].numaNode
            }
            // The groups' sizes among the passing GPUs, in a small list (a node has a few domains): no dictionary.
            var sizes: [(key: Int, size: Int)] = []
            for position in passing {
                guard let key = group(position) else { continue }
                if let slot = sizes.firstIndex(where: { $0.key == key }) { sizes[slot].size += 1 } else { sizes.append((key, 1)) }
            }
            var chosen: (key: Int, size: Int)?
            for entry in sizes where entry.size >= count {
                if let best = chosen, (best.size, best.key) <= (entry.size, entry.key) { continue }
                chosen = entry
            }
            if let chosen {
                var gpus: [Int] = []
                gpus.reserveCapacity(count)
                for position in passing where group(position) == chosen.key {
                    gpus.append(position)
                    if gpus.count == count { break }
                }
                return gpus
            }
        }
        return Array(passing.prefix(count))
    }

    /// Direct choices before those needing reconfiguration, then the tiers in order, then (within a node) the
    /// smallest fragmentation growth. `base` holds the node's choice-independent scores (`nodeKey`).
    func rank(_ request: PlacementRequest, _ node: PlacementNode, _ choice: GPUChoice, base: RankKey) -> RankKey {
        var key = base
        key.direct = !choice.needsMPSReconfiguration
        for tierIndex in active.indices {
            var total = 0
            for (entryIndex, plugin, weight) in active[tierIndex] {
                let score = plugin.score(request, node, choice, context, explain: false)
                total += score.normalized * weight
                if tierIndex == fragmentationTier, entryIndex == fragmentationEntry { key.tieBreak = score.raw }
            }
            key.add(total, tier: tierIndex)
        }
        return key
    }

    /// The tiers' totals of the scores that do not depend on the choice within the node: computed once per node.
    func nodeKey(_ request: PlacementRequest, _ node: PlacementNode) -> RankKey {
        var key = RankKey(direct: true)
        let none = GPUChoice(gpus: [])
        for tierIndex in nodeActive.indices {
            var total = 0
            for (_, plugin, weight) in nodeActive[tierIndex] {
                total += plugin.score(request, node, none, context, explain: false).normalized * weight
            }
            key.add(total, tier: tierIndex)
        }
        return key
    }

    /// The score entries that can tell nodes apart for `request`, split by whether they read the choice.
    func prepare(_ request: PlacementRequest) {
        let varying = policy.tiers.map { tier in
            tier.entries.enumerated().compactMap { index, entry in
                entry.weight == 0 || entry.plugin.isConstant(for: request, context) ? nil : (entry: index, plugin: entry.plugin, weight: entry.weight)
            }
        }
        active = varying.map { $0.filter { $0.plugin.readsChoice } }
        nodeActive = varying.map { $0.filter { !$0.plugin.readsChoice } }
        stateOnly =
            policy.nodeFilters.allSatisfy { !$0.usesNodeIdentity(for: request) }
            && varying.allSatisfy { $0.allSatisfy { !$0.plugin.usesNodeIdentity(for: request) } }
    }

    func placement(_ request: PlacementRequest, _ node: PlacementNode, nodeIndex: Int, _ choice: GPUChoice) -> Placement {
        let devices = choice.gpus.map { node.gpus[$0].index }
        var placement = Placement(node: node.name, nodeIndex: nodeIndex, gpus: devices)
        if request.sharing == .mig, let slot = choice.migSlot, let position = choice.gpus.first {
            placement.migProfile = node.gpus[position].migSlots[slot].profile
        } else if request.isFractional, let position = choice.gpus.first {
            placement.mpsSharePercent = Double(request.gpuMilli) / 10
            placement.mpsMemoryLimitBytes = request.gpuMemoryBytes ?? node.gpus[position].memoryBytes * Double(request.gpuMilli) / 1_000
        }
        return placement
    }

    func traceEntry(_ request: PlacementRequest, _ node: PlacementNode, _ ranked: Ranked, winner: Bool) -> DecisionTrace.Node {
        var scores: [DecisionTrace.Score] = []
        var totals: [Int] = []
        for tier in policy.tiers {
            totals.append(0)
            for entry in tier.entries {
                let score = entry.plugin.score(request, node, ranked.choice, context, explain: true)
                scores.append(
                    .init(
                        plugin: entry.plugin.name, tier: tier.name, raw: score.raw, normalized: score.normalized, weight: entry.weight,
                        weighted: score.normalized * entry.weight, note: score.note))
                totals[totals.count - 1] += score.normalized * entry.weight
            }
        }
        return .init(
            node: node.name, failedFilter: nil, reason: nil, resolvable: false, gpus: ranked.choice.gpus.map { node.gpus[$0].index }, scores: scores,
            tierTotals: totals, winner: winner)
    }

    static func insert(_ ranked: Ranked, into top: inout [Ranked], keep: Int) {
        if top.count == keep, let last = top.last, !(ranked.key > last.key) { return }
        let position = top.firstIndex { ranked.key > $0.key } ?? top.count
        top.insert(ranked, at: position)
        if top.count > keep { top.removeLast() }
    }

    /// One line per failing filter: how many nodes it turned away and the reason on the first of them.
    func summarize(_ request: PlacementRequest, _ snapshot: FleetSnapshot, _ counts: [(plugin: String, count: Int, firstNode: Int)]) -> [String] {
        if snapshot.nodes.isEmpty { return ["the snapshot has no nodes"] }
        let total = snapshot.nodes.count
        // Most nodes first; equal counts in the order the filters were first met.
        let ordered = counts.enumerated().sorted { ($1.element.count, $0.offset) < ($0.element.count, $1.offset) }.map(\.element)
        return ordered.map { entry in
            let node = snapshot.nodes[entry.firstNode]
            var reason = ""
            if case .failure(_, let text, _) = evaluate(request, node, explain: true) { reason = text }
            return "\(entry.plugin): \(entry.count) of \(total) node\(total == 1 ? "" : "s"), e.g. \(node.name): \(reason)"
        }
    }
}

/// A choice's rank: direct before reconfiguration, then each tier's weighted total, most important first (up to
/// four tiers). Higher is better; `tieBreak` (the fragmentation growth) only orders choices within one node.
struct RankKey: Equatable {
    var direct: Bool
    private var values: (Int, Int, Int, Int) = (0, 0, 0, 0)
    var tieBreak: Double = 0

    init(direct: Bool) {
        self.direct = direct
    }

    /// Adds to one tier's total.
    mutating func add(_ total: Int, tier: Int) {
        switch tier {
        case 0: values.0 += total
        case 1: values.1 += total
        case 2: values.2 += total
        default: values.3 += total
        }
    }

    static func == (lhs: RankKey, rhs: RankKey) -> Bool { lhs.direct == rhs.direct && lhs.values == rhs.values }

    static func > (lhs: RankKey, rhs: RankKey) -> Bool {
        if lhs.direct != rhs.direct { return lhs.direct }
        if lhs.values.0 != rhs.values.0 { return lhs.values.0 > rhs.values.0 }
        if lhs.values.1 != rhs.values.1 { return lhs.values.1 > rhs.values.1 }
        if lhs.values.2 != rhs.values.2 { return lhs.values.2 > rhs.values.2 }
        return lhs.values.3 > rhs.values.3
    }
}
