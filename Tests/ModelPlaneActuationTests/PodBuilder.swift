import ModelPlaneActuation
import ModelPlaneCore

/// A pod for profiling tests: one app container with `requests` / `limits`, plus what the row adds.
struct PodSpecRow: Sendable {
    var annotations: [String: String] = [:]
    var requests: [String: String] = [:]
    var limits: [String: String] = [:]
    var initContainers: [(requests: [String: String], sidecar: Bool)] = []
    var priority: Int?
    var priorityClassName: String?
    var ownerKind: String?
    var namespace = "ns"

    func pod() throws -> KubePod {
        func quantities(_ map: [String: String]) -> ConfigValue { .object(map.mapValues { .string($0) }) }
        var metadata: [String: ConfigValue] = ["name": "p", "annotations": .object(annotations.mapValues { .string($0) })]
        if !namespace.isEmpty { metadata["namespace"] = .string(namespace) }
        if let ownerKind { metadata["ownerReferences"] = .array([.object(["kind": .string(ownerKind), "name": "owner", "controller": true])]) }
        var spec: [String: ConfigValue] = [
            "containers": .array([.object(["name": "app", "resources": .object(["requests": quantities(requests), "limits": quantities(limits)])])]),
            "initContainers": .array(
                initContainers.map { step in
                    var container: [String: ConfigValue] = ["name": "init", "resources": .object(["requests": quantities(step.requests)])]
                    if step.sidecar { container["restartPolicy"] = "Always" }
                    return .object(container)
                }),
        ]
        if let priority { spec["priority"] = .number(Double(priority)) }
        if let priorityClassName { spec["priorityClassName"] = .string(priorityClassName) }
        let value: ConfigValue = .object(["metadata": .object(metadata), "spec": .object(spec)])
        return try KubePod(parsing: value.jsonText(pretty: false), source: "pod")
    }
}

extension PodSpecRow {
    static func gpus(_ count: String, _ annotations: [String: String] = [:]) -> PodSpecRow {
        PodSpecRow(annotations: annotations, limits: ["nvidia.com/gpu": count])
    }
}
