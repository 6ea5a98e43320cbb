import ModelPlaneCore
import Testing

/// Builders and a declarative harness for placement scenarios: nodes, then requests each with the decision expected.
enum Build {
    static let gib = 1_073_741_824.0

    /// A node of `gpus` GPUs of `memoryGiB` each; `nvlink` puts GPUs in domains of that size (nil: none).
    static func node(
        _ name: String, type: String? = "h100-sxm", gpus: Int = 8, memoryGiB: Double = 80, cpu: Int = 128_000, memoryHostGiB: Double = 1_024,
        nvlink: Int? = nil, numa: Int? = nil, mps: Bool = true, rack: String? = nil, zone: String? = nil
    ) -> PlacementNode {
        PlacementNode(
            name: name, gpuType: type,
            gpus: (0..<gpus).map { index in
                PlacementGPU(
                    index: index, memoryBytes: memoryGiB * gib, nvlinkDomain: nvlink.map { index / $0 }, numaNode: numa.map { index / $0 })
            },
            cpuCapacityMilli: cpu, memoryCapacityBytes: memoryHostGiB * gib, mpsEnabled: mps, rack: rack, zone: zone)
    }

    static func gpuRequest(_ id: String, gpus: Int = 1, percent: Int = 100, cpu: Int = 1_000, priority: PlacementPriority = .p2) -> PlacementRequest {
        PlacementRequest(
            id: id, priority: priority, gpuCount: gpus, gpuMilli: percent * 10, sharing: percent < 100 ? .mps : .any, cpuMilli: cpu,
            memoryBytes: 4 * gib)
    }
}

/// What a step expects of the engine's decision.
enum Expect: Equatable {
    /// Placed (directly) on this node; GPUs checked when given.
    case node(String, gpus: [Int]? = nil)
    case reconfigure(String)
    case preempting(String, victims: [String])
    case repacked(String, migrations: Int)
    case queued
    /// Unschedulable, with a reason containing each fragment.
    case unschedulable([String])
}

/// Nodes, then requests in order, each decision checked and (when placed) applied before the next.
struct PlacementScenario {
    var snapshot: FleetSnapshot
    var policy = PlacementPolicy.standard

    init(_ nodes: [PlacementNode], tenants: [String: TenantQuota] = [:], racks: [String: RackPower] = [:], policy: PlacementPolicy = .standard) {
        snapshot = FleetSnapshot(nodes: nodes, tenants: tenants, racks: racks)
        self.policy = policy
    }

    /// Runs the steps; returns the decisions for further checks.
    @discardableResult
    mutating func run(_ steps: [(PlacementRequest, Expect)], sourceLocation: SourceLocation = #_sourceLocation) throws -> [PlacementDecision] {
        let engine = PlacementEngine(policy: policy, snapshot: snapshot)
        var decisions: [PlacementDecision] = []
        for (request, expected) in steps {
            let decision = engine.place(request, in: snapshot)
            decisions.append(decision)
            let actual = describe(decision)
            switch expected {
            case .node(let name, let gpus):
                #expect(decision.outcome == .placed && decision.placement?.node == name, "\(request.id): \(actual)", sourceLocation: sourceLocation)
                if let gpus { #expect(decision.placement?.gpus == gpus, "\(request.id): \(actual)", sourceLocation: sourceLocation) }
            case .reconfigure(let name):
                #expect(
                    decision.outcome == .needsMPSReconfiguration && decision.placement?.node == name, "\(request.id): \(actual)",
                    sourceLocation: sourceLocation)
            case .preempting(let name, let victims):
                #expect(
                    decision.outcome == .preempting(victims) && decision.placement?.node == name, "\(request.id): \(actual)",
                    sourceLocation: sourceLocation)
            case .repacked(let name, let count):
                if case .repacked(let moves) = decision.outcome {
                    #expect(moves.count == count && decision.placement?.node == name, "\(request.id): \(actual)", sourceLocation: sourceLocation)
                } else {
                    Issue.record("\(request.id): expected a repack, got \(actual)", sourceLocation: sourceLocation)
                }
            case .queued:
                #expect(decision.outcome == .queued, "\(request.id): \(actual)", sourceLocation: sourceLocation)
            case .unschedulable(let fragments):
                #expect(decision.outcome == .unschedulable, "\(request.id): \(actual)", sourceLocation: sourceLocation)
                for fragment in fragments {
                    #expect(
                        decision.reasons.contains { $0.contains(fragment) }, "\(request.id): no reason contains \"\(fragment)\": \(decision.reasons)",
                        sourceLocation: sourceLocation)
                }
            }
            try apply(decision)
        }
        return decisions
    }

    /// Commits a decision's placement (with its evictions and moves) to the snapshot.
    mutating func apply(_ decision: PlacementDecision) throws {
        guard let placement = decision.placement else { return }
        var statement = Statement(snapshot)
        switch decision.outcome {
        case .preempting(let victims):
            for victim in victims { try statement.evict(victim, fromNode: placement.nodeIndex) }
        case .repacked(let moves):
            for move in moves {
                let moved = try statement.evict(move.workload, fromNode: snapshot.nodeIndex(named: move.from)!)
                try statement.allocate(moved.request, at: move.to)
            }
        default: break
        }
        try statement.allocate(decision.request, at: placement)
        snapshot = statement.commit()
    }

    func describe(_ decision: PlacementDecision) -> String {
        "\(decision.outcome) on \(decision.placement?.node ?? "-") GPUs \(decision.placement?.gpus ?? []); reasons \(decision.reasons)"
    }
}
