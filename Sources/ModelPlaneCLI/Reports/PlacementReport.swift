import ModelPlaneCore

/// Renders a placement decision: the outcome, the request, where it goes, what changes on the pod, the reasons and
/// the engine's trace.
enum PlacementReport {
    static func gib(_ bytes: Double) -> String { Quantity.significant(bytes / gibibyte, 4) + " GiB" }

    static func percent(_ milli: Int) -> String { milli % 10 == 0 ? "\(milli / 10) %" : "\(Double(milli) / 10) %" }

    /// The outcome's name in JSON and its line in text.
    static func outcome(_ decision: PlacementDecision) -> (name: String, text: String) {
        switch decision.outcome {
        case .placed: ("placed", "placed")
        case .needsMPSReconfiguration: ("needs-mps-reconfiguration", "placed once MPS is enabled on the node (a graceful reconfiguration first)")
        case .repacked(let moves): ("repacked", "placed after moving \(moves.count) running workload\(moves.count == 1 ? "" : "s") (path B)")
        case .preempting(let victims): ("preempting", "placed by preempting \(victims.joined(separator: ", ")) (path C)")
        case .queued: ("queued", "queued: nothing fits now, but capacity can free up")
        case .unschedulable: ("unschedulable", "unschedulable: nothing the scheduler does will make it fit")
        }
    }

    static func gpuAsk(_ request: PlacementRequest) -> String {
        if request.isCPUOnly { return "no GPU" }
        if request.sharing == .mig, let profile = request.migProfile { return "a MIG \(profile) instance" }
        if request.isFractional { return "\(percent(request.gpuMilli)) of 1 GPU (\(request.sharing.rawValue))" }
        return "\(request.gpuCount) whole GPU\(request.gpuCount == 1 ? "" : "s") (\(request.sharing.rawValue))"
    }

    static func cpu(_ milli: Int) -> String { milli % 1_000 == 0 ? "\(milli / 1_000) CPU" : "\(milli)m CPU" }

    static func placementText(_ placement: Placement) -> String {
        var text = "\(placement.node), GPU\(placement.gpus.count == 1 ? "" : "s") \(placement.gpus.map(String.init).joined(separator: ", "))"
        if placement.gpus.isEmpty { text = "\(placement.node), no GPU" }
        if let profile = placement.migProfile { text += ", MIG \(profile) instance" }
        if let share = placement.mpsSharePercent {
            text += ", MPS share \(Quantity.significant(share, 4)) %"
            if let limit = placement.mpsMemoryLimitBytes { text += ", pinned memory \(gib(limit))" }
        }
        return text
    }

    static func pairs(_ map: [String: String]) -> String {
        map.isEmpty ? "none" : map.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }

    static func text(_ decision: PlacementDecision) -> String {
        let request = decision.request
        var block = KeyValueBlock()
        block.add("outcome", outcome(decision).text)
        var asked = "\(request.id): tenant \(request.tenant), \(request.priority), \(gpuAsk(request))"
        if let memory = request.gpuMemoryBytes { asked += ", \(gib(memory)) GPU memory" }
        asked += ", \(cpu(request.cpuMilli)), \(gib(request.memoryBytes)) memory"
        block.add("request", asked)
        var constraints: [String] = []
        if !request.gpuTypes.isEmpty { constraints.append("GPU types \(request.gpuTypes.joined(separator: ", "))") }
        if !request.preferredGPUTypes.isEmpty { constraints.append("prefers \(request.preferredGPUTypes.joined(separator: ", "))") }
        if request.gpuCount > 1 { constraints.append("topology \(request.topology.rawValue)") }
        if let group = request.replicaGroup { constraints.append("replica group \(group)") }
        if !request.dataLocality.isEmpty { constraints.append("data in \(request.dataLocality.joined(separator: ", "))") }
        if let seconds = request.expectedDurationSeconds { constraints.append("expected \(Quantity.significant(seconds / 3_600, 3)) h") }
        if request.throttlingDeclared { constraints.append("tolerates throttling") }
        if !constraints.isEmpty { block.add("constraints", constraints.joined(separator: "; ")) }
        if let profile = request.profile { block.add("profile", profile) }
        if let placement = decision.placement { block.add("placement", placementText(placement)) }
        if case .repacked(let moves) = decision.outcome {
            for move in moves { block.add("moves", "\(move.workload): \(move.from) → \(placementText(move.to))") }
        }
        if let changes = decision.podChanges {
            block.add("nodeSelector", pairs(changes.nodeSelector))
            block.add("resources", pairs(changes.resources))
            block.add("env", pairs(changes.env))
            block.add("annotations", pairs(changes.annotations))
        }
        var out = [block.render()]
        if !decision.reasons.isEmpty {
            out.append("")
            out.append("reasons:")
            for reason in decision.reasons { out.append("  \(reason)") }
        }
        out.append("")
        out.append("trace:")
        out.append(decision.trace.text().split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }.joined(separator: "\n"))
        return out.joined(separator: "\n")
    }

    // MARK: JSON

    static func strings(_ map: [String: String]) -> ConfigValue { .object(map.mapValues { .string($0) }) }

    static func json(_ placement: Placement) -> ConfigValue {
        .object([
            "node": .string(placement.node), "gpus": .array(placement.gpus.map { .number(Double($0)) }),
            "mig_profile": .optional(placement.migProfile),
            "mps_share_percent": .optional(placement.mpsSharePercent), "mps_memory_limit_bytes": .optional(placement.mpsMemoryLimitBytes),
        ])
    }

    static func json(_ request: PlacementRequest) -> ConfigValue {
        .object([
            "id": .string(request.id), "tenant": .string(request.tenant), "priority": .string(request.priority.description),
            "gpus": .number(Double(request.gpuCount)), "gpu_milli": .number(Double(request.gpuMilli)),
            "gpu_memory_bytes": .optional(request.gpuMemoryBytes),
            "sharing": .string(request.sharing.rawValue), "mig_profile": .optional(request.migProfile),
            "cpu_milli": .number(Double(request.cpuMilli)),
            "memory_bytes": .number(request.memoryBytes), "gpu_types": .array(request.gpuTypes.map { .string($0) }),
            "preferred_gpu_types": .array(request.preferredGPUTypes.map { .string($0) }), "replica_group": .optional(request.replicaGroup),
            "topology": .string(request.topology.rawValue), "data_locality": .array(request.dataLocality.map { .string($0) }),
            "expected_duration_seconds": .optional(request.expectedDurationSeconds), "throttling": .bool(request.throttlingDeclared),
            "profile": .optional(request.profile),
        ])
    }

    static func json(_ trace: DecisionTrace) -> ConfigValue {
        let nodes: [ConfigValue] = trace.nodes.map { node in
            .object([
                "node": .string(node.node), "failed_filter": .optional(node.failedFilter), "reason": .optional(node.reason),
                "resolvable": node.failedFilter == nil ? .null : .bool(node.resolvable), "gpus": .array(node.gpus.map { .number(Double($0)) }),
                "tier_totals": .array(node.tierTotals.map { .number(Double($0)) }), "winner": .bool(node.winner),
                "scores": .array(
                    node.scores.map { score in
                        .object([
                            "plugin": .string(score.plugin), "tier": .string(score.tier), "raw": .number(score.raw),
                            "normalized": .number(Double(score.normalized)), "weight": .number(Double(score.weight)),
                            "weighted": .number(Double(score.weighted)), "note": .string(score.note),
                        ])
                    }),
            ])
        }
        return .object([
            "evaluated_nodes": .number(Double(trace.evaluatedNodes)), "feasible_nodes": .number(Double(trace.feasibleNodes)),
            "winner": .optional(trace.winner), "request_problems": .array(trace.requestProblems.map { .string($0) }),
            "failures_by_plugin": .object(trace.failuresByPlugin.mapValues { .number(Double($0)) }), "nodes": .array(nodes),
            "text": .string(trace.text()),
        ])
    }

    static func json(_ decision: PlacementDecision) -> String {
        var migrations: [ConfigValue] = []
        var preempted: [ConfigValue] = []
        switch decision.outcome {
        case .repacked(let moves):
            migrations = moves.map { .object(["workload": .string($0.workload), "from": .string($0.from), "to": json($0.to)]) }
        case .preempting(let victims): preempted = victims.map { .string($0) }
        default: break
        }
        let changes: ConfigValue =
            decision.podChanges.map { changes in
                .object([
                    "node_selector": strings(changes.nodeSelector), "resources": strings(changes.resources), "env": strings(changes.env),
                    "annotations": strings(changes.annotations),
                ])
            } ?? .null
        return ConfigValue.object([
            "outcome": .string(outcome(decision).name), "placed": .bool(decision.isPlaced), "request": json(decision.request),
            "placement": decision.placement.map { json($0) } ?? .null, "pod_changes": changes,
            "reasons": .array(decision.reasons.map { .string($0) }),
            "migrations": .array(migrations), "preempted": .array(preempted), "trace": json(decision.trace),
        ]).jsonText()
    }
}
