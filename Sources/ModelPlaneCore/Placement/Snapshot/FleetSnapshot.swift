/// A tenant's quota and what it holds now.
public struct TenantQuota: Sendable, Equatable {
    /// GPUs held at once (fractions count: a 40 % share is 0.4); nil for no limit.
    public var maxGPUs: Double?
    /// GPU-hours over the quota period; nil for no limit.
    public var maxGPUHours: Double?
    public var usedGPUs: Double
    public var usedGPUHours: Double

    public init(maxGPUs: Double? = nil, maxGPUHours: Double? = nil, usedGPUs: Double = 0, usedGPUHours: Double = 0) {
        self.maxGPUs = maxGPUs
        self.maxGPUHours = maxGPUHours
        self.usedGPUs = usedGPUs
        self.usedGPUHours = usedGPUHours
    }
}

/// A rack's power budget and its draw now (watts).
public struct RackPower: Sendable, Equatable {
    public var budgetWatts: Double
    public var drawWatts: Double

    public init(budgetWatts: Double, drawWatts: Double) {
        self.budgetWatts = budgetWatts
        self.drawWatts = drawWatts
    }
}

/// The fleet as one decision sees it: immutable for the decision, replaced (not edited) when a decision is applied.
/// Nothing in a decision reads live state, so every decision can be replayed from its snapshot.
public struct FleetSnapshot: Sendable, Equatable {
    public var nodes: [PlacementNode]
    /// The fleet's observed task shapes, the "target workload" the fragmentation score measures against.
    public var shapes: TaskShapeDistribution
    public var tenants: [String: TenantQuota]
    public var racks: [String: RackPower]

    public init(
        nodes: [PlacementNode], shapes: TaskShapeDistribution = TaskShapeDistribution(shapes: []), tenants: [String: TenantQuota] = [:],
        racks: [String: RackPower] = [:]
    ) {
        self.nodes = nodes
        self.shapes = shapes
        self.tenants = tenants
        self.racks = racks
    }

    /// The node named `name`, if any.
    public func nodeIndex(named name: String) -> Int? { nodes.firstIndex { $0.name == name } }
}
