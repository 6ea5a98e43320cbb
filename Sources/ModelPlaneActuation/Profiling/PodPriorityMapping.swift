public import ModelPlaneCore

/// A pod's ModelPlane priority when it carries no `modelplane.io/priority` annotation, from what Kubernetes
/// admission resolved (`spec.priority`) or, before admission, the class name.
///
/// | `spec.priority` | priority |
/// |---|---|
/// | ≥ 1,000,000,000 (the system classes; the top of the user range) | P0 |
/// | 1,000 … 999,999,999 | P1 |
/// | 0 … 999 (0 is a pod without a class) | P2 |
/// | −999 … −1 | P3 |
/// | ≤ −1,000 | P4 |
///
/// Without `spec.priority`: `system-node-critical` and `system-cluster-critical` are P0, a class named `p0`…`p4`
/// (any case) is that priority, and anything else is P2.
public enum PodPriorityMapping {
    public static func priority(specPriority: Int?, className: String?) -> PlacementPriority {
        if let value = specPriority {
            switch value {
            case 1_000_000_000...: return .p0
            case 1_000...: return .p1
            case 0...: return .p2
            case (-999)...: return .p3
            default: return .p4
            }
        }
        guard let className else { return .p2 }
        if className == "system-node-critical" || className == "system-cluster-critical" { return .p0 }
        return PlacementPriority(name: className) ?? .p2
    }
}
