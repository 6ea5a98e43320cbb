/// What the labels of one series say about the device or server it describes, read by label name (exporters
/// order labels differently, and versions rename them: `Hostname`/`hostname`, `UUID`/`uuid`/`GPU_UUID`).
struct SeriesIdentity {
    var node: String?
    var gpuIndexText: String?
    var uuid: String?
    var migInstance: String?
    var migProfile: String?
    var partitionID: String?
    var computePartition: String?
    var memoryPartition: String?
    var modelName: String?
    var pciBusID: String?
    var driverVersion: String?
    var serialNumber: String?
    var pod: String?
    var namespace: String?
    var container: String?
    var podUID: String?
    var exportedPod: String?
    var exportedNamespace: String?
    var exportedContainer: String?
    var instance: String?
    var servedModel: String?
    var engine: String?

    /// One pass over the labels. An empty value is the same as no label (Prometheus drops empty labels).
    init(_ labels: [Label]) {
        var hostLabel: String?
        for label in labels where !label.value.isEmpty {
            let value = label.value
            switch label.name {
            case "gpu", "gpu_id", "GPU_ID": gpuIndexText = value
            case "Hostname", "hostname", "HOSTNAME": node = value
            case "node": hostLabel = value
            case "UUID", "uuid", "gpu_uuid", "GPU_UUID": uuid = value
            case "GPU_I_ID": migInstance = value
            case "GPU_I_PROFILE": migProfile = value
            case "gpu_partition_id", "GPU_PARTITION_ID": partitionID = value
            case "gpu_compute_partition_type", "GPU_COMPUTE_PARTITION_TYPE": computePartition = value.lowercased()
            case "gpu_memory_partition_type", "GPU_MEMORY_PARTITION_TYPE": memoryPartition = value.lowercased()
            case "modelName", "card_series", "CARD_SERIES": modelName = value
            case "pci_bus_id": pciBusID = value
            case "DCGM_FI_DRIVER_VERSION", "driver_version", "DRIVER_VERSION": driverVersion = value
            case "serial_number", "SERIAL_NUMBER": serialNumber = value
            case "pod": pod = value
            case "namespace": namespace = value
            case "container": container = value
            case "pod_uid": podUID = value
            case "exported_pod": exportedPod = value
            case "exported_namespace": exportedNamespace = value
            case "exported_container": exportedContainer = value
            case "instance": instance = value
            case "model_name": servedModel = value
            case "engine": engine = value
            default: break
            }
        }
        if node == nil { node = hostLabel }
    }

    /// The workload the series is attributed to. With Prometheus `honor_labels: false` the exporter's own labels
    /// arrive as `exported_*`; a pod whose name starts with one of `exporterPods` is the exporter itself (what
    /// Prometheus' service discovery attaches to an unbound GPU), not a workload.
    func podReference(exporterPods: [String]) -> PodReference? {
        let name = exportedPod ?? pod
        guard let name, !exporterPods.contains(where: { name.hasPrefix($0) }) else { return nil }
        let namespace = exportedPod != nil ? exportedNamespace : self.namespace
        let container = exportedPod != nil ? exportedContainer : self.container
        return PodReference(namespace: namespace, pod: name, container: container, uid: podUID)
    }

    /// True on an AMD GPU split into compute partitions (CPX and the like); SPX is the whole GPU.
    var isPartitioned: Bool {
        guard let computePartition else { return false }
        return !["spx", "none", "na", "unknown"].contains(computePartition)
    }
}
