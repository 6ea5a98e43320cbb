/// Which accelerator a sample describes: the node, the GPU index the exporter gives, and the MIG GPU instance (or
/// AMD compute partition) when the series is about one. Never the position of a label.
///
/// An exporter that names no GPU index (AMD's v1.0 exporter names only the UUID) is keyed by UUID instead.
public struct DeviceKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The node's host name; nil when the exporter runs with `--no-hostname` and nothing else names it.
    public var node: String?
    public var gpuIndex: Int?
    /// Set only when `gpuIndex` is nil.
    public var uuid: String?
    /// MIG `GPU_I_ID`, or an AMD partition id on a partitioned (non-SPX) GPU.
    public var instance: Int?

    public init(node: String?, gpuIndex: Int?, uuid: String? = nil, instance: Int? = nil) {
        self.node = node
        self.gpuIndex = gpuIndex
        self.uuid = gpuIndex == nil ? uuid : nil
        self.instance = instance
    }

    public var description: String {
        let gpu = gpuIndex.map { "gpu\($0)" } ?? "uuid:\(uuid ?? "?")"
        return "\(node ?? "-")/\(gpu)" + (instance.map { "/gi\($0)" } ?? "")
    }

    /// By node, GPU index, UUID, instance; absent sorts first.
    public static func < (lhs: DeviceKey, rhs: DeviceKey) -> Bool {
        if lhs.node != rhs.node { return precedes(lhs.node, rhs.node) }
        if lhs.gpuIndex != rhs.gpuIndex { return (lhs.gpuIndex ?? -1) < (rhs.gpuIndex ?? -1) }
        if lhs.uuid != rhs.uuid { return precedes(lhs.uuid, rhs.uuid) }
        return (lhs.instance ?? -1) < (rhs.instance ?? -1)
    }

    private static func precedes(_ lhs: String?, _ rhs: String?) -> Bool {
        guard let lhs else { return rhs != nil }
        guard let rhs else { return false }
        return lhs < rhs
    }
}

/// The GPU vendor whose exporter produced a sample.
public enum GPUVendor: String, Sendable {
    case nvidia, amd
}

/// The Kubernetes workload a device or server is attributed to, when the exporter says.
public struct PodReference: Hashable, Sendable, CustomStringConvertible {
    public var namespace: String?
    public var pod: String
    public var container: String?
    public var uid: String?

    public init(namespace: String?, pod: String, container: String? = nil, uid: String? = nil) {
        self.namespace = namespace
        self.pod = pod
        self.container = container
        self.uid = uid
    }

    /// `namespace/pod`, or the pod alone when the namespace is unknown.
    public var qualifiedName: String { (namespace.map { "\($0)/" } ?? "") + pod }

    public var description: String { qualifiedName + (container.map { ":\($0)" } ?? "") }
}

/// One accelerator's state in one scrape, vendor-neutral and in fixed units (`DeviceMetric.unit`).
public struct DeviceSample: Sendable, Equatable {
    public var key: DeviceKey
    public var vendor: GPUVendor
    /// The physical GPU's UUID (the parent's, on a MIG instance). AMD UUIDs have no `GPU-` prefix.
    public var uuid: String?
    public var modelName: String?
    public var pciBusID: String?
    public var driverVersion: String?
    public var serialNumber: String?
    /// MIG profile (`1g.5gb`) or AMD compute/memory partition mode (`cpx/nps4`).
    public var partitionProfile: String?
    public var pod: PodReference?
    /// The message dcgm-exporter 4.x attaches to the XID series (`err_msg`).
    public var xidMessage: String?
    /// The newest timestamp carried by the samples (API results, timestamped expositions), in ms since the epoch.
    public var timestampMilliseconds: Int64?
    public var values: MetricValues<DeviceMetric>

    public init(key: DeviceKey, vendor: GPUVendor) {
        self.key = key
        self.vendor = vendor
        self.values = MetricValues()
    }

    public subscript(metric: DeviceMetric) -> Double? {
        get { values[metric] }
        set { values[metric] = newValue }
    }
}
