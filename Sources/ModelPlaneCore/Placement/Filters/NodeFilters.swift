/// Cordoned or unhealthy nodes take nothing.
public struct NodeHealthFilter: NodeFilter {
    public let name = "node-health"
    public init() {}

    public func usesNodeIdentity(for request: PlacementRequest) -> Bool { false }

    public func check(_ request: PlacementRequest, _ node: PlacementNode, explain: Bool) -> FilterVerdict {
        if node.cordoned { return .fail(explain ? "node is cordoned" : "", resolvable: false) }
        if let reason = node.unhealthyReason { return .fail(explain ? "node is unhealthy: \(reason)" : "", resolvable: false) }
        return .pass
    }
}

/// The request's GPU types (a hard constraint) and GPU count against the node's.
public struct GPUTypeFilter: NodeFilter {
    public let name = "gpu-type"
    public init() {}

    public func usesNodeIdentity(for request: PlacementRequest) -> Bool { false }

    public func check(_ request: PlacementRequest, _ node: PlacementNode, explain: Bool) -> FilterVerdict {
        guard !request.isCPUOnly else { return .pass }
        guard !node.gpus.isEmpty else { return .fail(explain ? "node has no GPUs; \(request.gpuCount) asked" : "", resolvable: false) }
        if !request.gpuTypes.isEmpty, !request.gpuTypes.contains(node.gpuType ?? "") {
            return .fail(
                explain ? "GPU type \(node.gpuType ?? "unknown") is not one of \(request.gpuTypes.joined(separator: ", "))" : "", resolvable: false)
        }
        if node.gpus.count < request.gpuCount {
            return .fail(
                explain ? "node has \(node.gpus.count) GPUs; \(request.gpuCount) asked (short \(request.gpuCount - node.gpus.count))" : "",
                resolvable: false)
        }
        return .pass
    }
}

/// Host CPU and memory. Resolvable when the node's capacity is enough and only running work is in the way.
public struct CPUMemoryFilter: NodeFilter {
    public let name = "cpu-memory"
    public init() {}

    public func usesNodeIdentity(for request: PlacementRequest) -> Bool { false }

    public func check(_ request: PlacementRequest, _ node: PlacementNode, explain: Bool) -> FilterVerdict {
        if request.cpuMilli > node.cpuFreeMilli {
            return .fail(
                explain
                    ? "CPU: \(request.cpuMilli)m asked, \(node.cpuFreeMilli)m free of \(node.cpuCapacityMilli)m (short \(request.cpuMilli - node.cpuFreeMilli)m)"
                    : "",
                resolvable: request.cpuMilli <= node.cpuCapacityMilli)
        }
        if request.memoryBytes > node.memoryFreeBytes {
            return .fail(
                explain
                    ? "memory: \(gib(request.memoryBytes)) asked, \(gib(node.memoryFreeBytes)) free of \(gib(node.memoryCapacityBytes)) "
                        + "(short \(gib(request.memoryBytes - node.memoryFreeBytes)))" : "",
                resolvable: request.memoryBytes <= node.memoryCapacityBytes)
        }
        return .pass
    }
}

/// Two replicas of one model never share a node.
public struct AntiAffinityFilter: NodeFilter {
    public let name = "anti-affinity"
    public init() {}

    public func usesNodeIdentity(for request: PlacementRequest) -> Bool { request.replicaGroup != nil }

    public func check(_ request: PlacementRequest, _ node: PlacementNode, explain: Bool) -> FilterVerdict {
        guard let group = request.replicaGroup, node.replicaGroupBits & request.replicaGroupBit != 0 else { return .pass }
        if let replica = node.workloads.first(where: { $0.replicaGroup == group && $0.id != request.id }) {
            return .fail(explain ? "replica \(replica.id) of group \(group) already runs here" : "", resolvable: false)
        }
        return .pass
    }
}

func gib(_ bytes: Double) -> String {
    let value = bytes / gibibyte
    let tenths = (value * 10).rounded() / 10
    return value >= 10 || tenths == tenths.rounded() ? "\(Int(value.rounded())) GiB" : "\(tenths) GiB"
}
