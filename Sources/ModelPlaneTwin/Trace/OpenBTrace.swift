public import ModelPlaneCore

/// A node of the Alibaba GPU trace (cluster-trace-gpu-v2023, "openb"): CPU in milli-cores, memory in MiB, and a
/// number of identical GPUs of one model (`gpuModel` nil on a CPU-only node).
public struct TraceNode: Sendable, Hashable {
    public var name: String
    public var cpuMilli: Int
    public var memoryMiB: Int
    public var gpuCount: Int
    public var gpuModel: String?

    public init(name: String, cpuMilli: Int, memoryMiB: Int, gpuCount: Int, gpuModel: String?) {
        self.name = name
        self.cpuMilli = cpuMilli
        self.memoryMiB = memoryMiB
        self.gpuCount = gpuCount
        self.gpuModel = gpuModel
    }
}

/// A task (pod) of the trace: `gpuCount` GPUs at `gpuMilli` thousandths of each (below 1000 only for a single
/// GPU, a GPU-sharing task), optionally restricted to some GPU models. Times are seconds; the 5-column
/// `multigpu` files have none.
public struct TracePod: Sendable, Hashable {
    public var name: String
    public var cpuMilli: Int
    public var memoryMiB: Int
    public var gpuCount: Int
    public var gpuMilli: Int
    /// GPU models the task may run on; empty means any.
    public var gpuSpec: [String]
    public var qos: String?
    public var phase: String?
    public var creationTime: Int?
    public var deletionTime: Int?
    public var scheduledTime: Int?

    public init(
        name: String, cpuMilli: Int, memoryMiB: Int, gpuCount: Int, gpuMilli: Int, gpuSpec: [String] = [], qos: String? = nil,
        phase: String? = nil, creationTime: Int? = nil, deletionTime: Int? = nil, scheduledTime: Int? = nil
    ) {
        self.name = name
        self.cpuMilli = cpuMilli
        self.memoryMiB = memoryMiB
        self.gpuCount = gpuCount
        self.gpuMilli = gpuMilli
        self.gpuSpec = gpuSpec
        self.qos = qos
        self.phase = phase
        self.creationTime = creationTime
        self.deletionTime = deletionTime
        self.scheduledTime = scheduledTime
    }

    /// The GPU capacity requested, in thousandths of a GPU: `gpuCount × gpuMilli`.
    public var totalGPUMilli: Int { gpuCount * gpuMilli }
    public var isCPUOnly: Bool { gpuCount == 0 || gpuMilli == 0 }
    public var isSharing: Bool { gpuCount == 1 && gpuMilli < 1000 && gpuMilli > 0 }
}

/// Loaders for the trace's CSV files (see the trace's UPSTREAM_README.md for the columns).
public enum OpenBTrace {
    /// Limits that catch a wrong file rather than describe the trace: no node in it has more than 8 GPUs.
    static let maximumGPUsPerNode = 64
    static let maximumCPUMilli = 100_000_000
    static let maximumMemoryMiB = 1 << 40

    /// `sn, cpu_milli, memory_mib, gpu, model` (`model` empty or `nan` on CPU-only nodes).
    public static func nodes(csv text: String, source: String) throws(InputError) -> [TraceNode] {
        let table = try CSVTable(text, source: source)
        let name = try table.column("sn")
        let cpu = try table.column("cpu_milli")
        let memory = try table.column("memory_mib")
        let gpu = try table.column("gpu")
        let model = try table.column("model")
        var nodes: [TraceNode] = []
        var names = Set<String>()
        for row in table.rows {
            let node = TraceNode(
                name: row.fields[name], cpuMilli: try table.integer(row, cpu, in: 0...maximumCPUMilli),
                memoryMiB: try table.integer(row, memory, in: 0...maximumMemoryMiB),
                gpuCount: try table.integer(row, gpu, in: 0...maximumGPUsPerNode),
                gpuModel: Self.optional(row.fields[model]))
            guard names.insert(node.name).inserted else {
                throw InputError("\(source):\(row.line) sn", "\(node.name) appears twice", expected: "unique node names")
            }
            if node.gpuCount > 0, node.gpuModel == nil {
                throw InputError("\(source):\(row.line) model", "empty for a node with \(node.gpuCount) GPUs", expected: "the GPU model")
            }
            nodes.append(node)
        }
        return nodes
    }

    /// `name, cpu_milli, memory_mib, num_gpu, gpu_milli` and, in all but the `multigpu` files, `gpu_spec, qos,
    /// pod_phase, creation_time, deletion_time, scheduled_time`.
    public static func pods(csv text: String, source: String) throws(InputError) -> [TracePod] {
        let table = try CSVTable(text, source: source)
        let name = try table.column("name")
        let cpu = try table.column("cpu_milli")
        let memory = try table.column("memory_mib")
        let gpus = try table.column("num_gpu")
        let milli = try table.column("gpu_milli")
        let spec = table.optionalColumn("gpu_spec")
        let qos = table.optionalColumn("qos")
        let phase = table.optionalColumn("pod_phase")
        let created = table.optionalColumn("creation_time")
        let deleted = table.optionalColumn("deletion_time")
        let scheduled = table.optionalColumn("scheduled_time")
        func time(_ row: (line: Int, fields: [String]), _ column: Int?) throws(InputError) -> Int? {
            guard let column, Self.optional(row.fields[column]) != nil else { return nil }
            return try table.integer(row, column, in: 0...Int(Int32.max) * 16)
        }
        var pods: [TracePod] = []
        for row in table.rows {
            let pod = TracePod(
                name: row.fields[name], cpuMilli: try table.integer(row, cpu, in: 0...maximumCPUMilli),
                memoryMiB: try table.integer(row, memory, in: 0...maximumMemoryMiB),
                gpuCount: try table.integer(row, gpus, in: 0...maximumGPUsPerNode),
                gpuMilli: try table.integer(row, milli, in: 0...1000),
                gpuSpec: spec.flatMap { Self.optional(row.fields[$0]) }.map { Self.models($0) } ?? [],
                qos: qos.flatMap { Self.optional(row.fields[$0]) }, phase: phase.flatMap { Self.optional(row.fields[$0]) },
                creationTime: try time(row, created), deletionTime: try time(row, deleted), scheduledTime: try time(row, scheduled))
            if pod.gpuCount > 1, pod.gpuMilli != 1000 {
                throw InputError(
                    "\(source):\(row.line) gpu_milli", "\(pod.gpuMilli) for \(pod.gpuCount) GPUs",
                    expected: "1000 (only a single-GPU task shares a GPU)")
            }
            if pod.gpuCount == 0, pod.gpuMilli != 0 {
                throw InputError("\(source):\(row.line) gpu_milli", "\(pod.gpuMilli) with num_gpu 0", expected: "0 for a CPU-only task")
            }
            pods.append(pod)
        }
        return pods
    }

    /// `V100M16|V100M32` as its models, in order, without repeats (the trace writes some twice).
    static func models(_ spec: String) -> [String] {
        var seen = Set<String>()
        return spec.split(separator: "|").map { $0.trimmingBlanks() }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Empty and pandas' `nan` mean no value.
    static func optional(_ field: String) -> String? {
        let text = field.trimmingBlanks()
        return text.isEmpty || text == "nan" ? nil : text
    }
}

extension Substring {
    func trimmingBlanks() -> String { String(self).trimmingBlanks() }
}
