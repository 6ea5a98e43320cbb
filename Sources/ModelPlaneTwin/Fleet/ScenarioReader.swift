public import ModelPlaneCore

/// Reads a scenario from its YAML/JSON tree, validating every field: unknown keys, wrong kinds, impossible values
/// and names the catalogs do not know are errors that name the field (the CLI adds the line).
public enum ScenarioReader {
    public static func scenario(
        from root: ConfigCursor, hardware: HardwareCatalog = .builtin, models: ModelCatalog = .builtin
    ) throws(InputError) -> Scenario {
        try allow(root, ["name", "seed", "duration", "step", "constants", "pools", "workloads", "faults"])
        let name = try root.optionalString("name") ?? "scenario"
        let seed = try root.optionalInt("seed") ?? 42
        guard seed >= 0 else { throw InputError(field(root, "seed"), "\(seed)", expected: "a seed ≥ 0") }
        let duration = try Self.duration(root, "duration") ?? 3600
        let step = try Self.duration(root, "step") ?? 10
        guard duration > 0, duration <= 366 * 86_400 else {
            throw InputError(field(root, "duration"), "\(duration) s", expected: "a duration above 0 and at most a year")
        }
        guard step >= 0.001, step <= duration else {
            throw InputError(field(root, "step"), "\(step) s", expected: "a step of at least 1 ms and at most the duration (\(duration) s)")
        }
        var constants = TwinConstants()
        if let cursor = root.first(["constants"]) { try constants.apply(cursor) }
        guard let poolsCursor = root.first(["pools"]) else {
            throw InputError(root.path, "missing field \"pools\"", expected: "a list of node pools (name, count, gpu, gpus_per_node)")
        }
        var pools: [NodePool] = []
        for cursor in try poolsCursor.asArray() { pools.append(try pool(cursor, hardware: hardware)) }
        var workloads: [WorkloadSpec] = []
        if let list = root.first(["workloads"]) {
            for cursor in try list.asArray() { workloads += try workload(cursor, models: models, duration: duration) }
        }
        var faults: [FaultSpec] = []
        if let list = root.first(["faults"]) {
            for cursor in try list.asArray() { faults.append(try fault(cursor, duration: duration)) }
        }
        return Scenario(
            name: name, seed: UInt64(seed), durationSeconds: duration, stepSeconds: step, pools: pools, workloads: workloads, faults: faults,
            constants: constants)
    }

    static func field(_ cursor: ConfigCursor, _ key: String) -> String {
        cursor.path.hasSuffix(":") || cursor.path.isEmpty ? "\(cursor.path) \(key)" : "\(cursor.path).\(key)"
    }

    static func allow(_ cursor: ConfigCursor, _ keys: [String]) throws(InputError) {
        for key in try cursor.keys() where !keys.contains(key) {
            throw InputError(field(cursor, key), "unknown field", expected: "one of \(keys.joined(separator: ", "))")
        }
    }

    /// Seconds from a number or a string with a unit (`90`, `90s`, `15m`, `2h`, `1d`).
    static func duration(_ cursor: ConfigCursor, _ key: String) throws(InputError) -> Double? {
        guard let value = cursor.first([key]) else { return nil }
        if case .number(let number) = value.value {
            guard number.isFinite, number >= 0 else { throw InputError(value.path, "\(number)", expected: "a duration ≥ 0") }
            return number
        }
        let text = try value.asString().lowercased().filter { $0 != " " }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (unit, factor) in units where text.hasSuffix(unit) {
            if let number = Double(text.dropLast(unit.count)), number.isFinite, number >= 0 { return number * factor }
        }
        if let number = Double(text), number.isFinite, number >= 0 { return number }
        throw InputError(value.path, "\"\(text)\" is not a duration", expected: "seconds, or a number with ms, s, m, h or d")
    }

    static func positiveInt(_ cursor: ConfigCursor, _ key: String, default value: Int? = nil, maximum: Int = 1_000_000) throws(InputError) -> Int {
        guard let number = try cursor.optionalInt(key) ?? value else {
            throw InputError(cursor.path, "missing field \"\(key)\"", expected: "a whole number ≥ 1")
        }
        guard number >= 1, number <= maximum else { throw InputError(field(cursor, key), "\(number)", expected: "a whole number 1…\(maximum)") }
        return number
    }

    static func positive(_ cursor: ConfigCursor, _ key: String) throws(InputError) -> Double? {
        guard let number = try cursor.optionalDouble(key) else { return nil }
        guard number > 0 else { throw InputError(field(cursor, key), "\(number)", expected: "a number above 0") }
        return number
    }

    static func pool(_ cursor: ConfigCursor, hardware: HardwareCatalog) throws(InputError) -> NodePool {
        try allow(
            cursor,
            [
                "name", "count", "gpu", "gpus_per_node", "cpu_cores", "memory_gib", "numa_nodes", "nvlink_domain", "nodes_per_rack", "rack_power_kw",
                "sharing",
            ])
        let name = try cursor.requiredString("name")
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw InputError(field(cursor, "name"), "\"\(name)\"", expected: "letters, digits and dashes (it becomes node names)")
        }
        let gpuName = try cursor.requiredString("gpu")
        guard let gpu = hardware.lookup(gpuName) else {
            let known = hardware.models.prefix(8).compactMap { $0.names.last }.joined(separator: ", ")
            throw InputError(field(cursor, "gpu"), "unknown GPU type \"\(gpuName)\"", expected: "a catalog name such as \(known)")
        }
        var pool = NodePool(
            name: name, count: try positiveInt(cursor, "count", maximum: 100_000), gpu: gpu,
            gpusPerNode: try positiveInt(cursor, "gpus_per_node", default: 8, maximum: 64))
        pool.cpuCores = try positiveInt(cursor, "cpu_cores", default: pool.cpuCores, maximum: 4096)
        if let gib = try positive(cursor, "memory_gib") { pool.memoryBytes = gib * gibibyte }
        pool.numaNodes = try positiveInt(cursor, "numa_nodes", default: pool.numaNodes, maximum: 64)
        if let domain = try cursor.optionalInt("nvlink_domain") { pool.nvlinkDomainSize = domain }
        pool.nodesPerRack = try positiveInt(cursor, "nodes_per_rack", default: pool.nodesPerRack, maximum: 1024)
        if let kilowatts = try positive(cursor, "rack_power_kw") { pool.rackPowerBudgetWatts = kilowatts * 1000 }
        if let sharing = cursor.first(["sharing"]) {
            if case .string(let kind) = sharing.value {
                switch kind {
                case "whole": pool.sharing = .whole
                case "mps": pool.sharing = .mps
                default: throw InputError(sharing.path, "\"\(kind)\"", expected: "whole, mps, or {mig: [profiles]}")
                }
            } else {
                try allow(sharing, ["mig"])
                guard let list = sharing.first(["mig"]) else { throw InputError(sharing.path, "empty", expected: "whole, mps, or {mig: [profiles]}") }
                var layout: [MIGProfile] = []
                for item in try list.asArray() {
                    do { layout.append(try gpu.migProfile(named: try item.asString())) } catch {
                        throw InputError(item.path, error.problem, expected: error.expected)
                    }
                }
                pool.sharing = .mig(layout)
            }
        }
        return pool
    }

    static func workload(_ cursor: ConfigCursor, models: ModelCatalog, duration: Double) throws(InputError) -> [WorkloadSpec] {
        try allow(
            cursor,
            [
                "name", "model", "phase", "precision", "batch", "max_num_seqs", "sequence", "prompt_tokens", "output_tokens", "tenant", "priority",
                "gpus",
                "sharing", "node", "start", "end", "requests", "sla", "input_stall", "namespace", "cpu_cores", "memory_gib", "replicas",
            ])
        let name = try cursor.requiredString("name")
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }) else {
            throw InputError(field(cursor, "name"), "\"\(name)\"", expected: "letters, digits, dots and dashes (it becomes a pod name)")
        }
        let modelName = try cursor.requiredString("model")
        let model: ModelSpec
        do { model = try models.resolve(modelName) } catch { throw InputError(field(cursor, "model"), error.problem, expected: error.expected) }
        let phaseName = try cursor.optionalString("phase") ?? "inference"
        guard let phase = WorkloadPhase(rawValue: phaseName) else {
            throw InputError(field(cursor, "phase"), "\"\(phaseName)\"", expected: "training or inference")
        }
        let precisionName = try cursor.optionalString("precision") ?? "bf16"
        guard let precision = Precision(rawValue: precisionName.lowercased()) else {
            throw InputError(field(cursor, "precision"), "\"\(precisionName)\"", expected: Precision.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let batchKey = cursor.has("max_num_seqs") ? "max_num_seqs" : "batch"
        let sequenceKey = cursor.has("prompt_tokens") ? "prompt_tokens" : "sequence"
        var spec = WorkloadSpec(
            name: name, model: model, phase: phase, precision: precision,
            batch: try positiveInt(cursor, batchKey, default: phase == .training ? 256 : 128, maximum: 1 << 20),
            sequence: try positiveInt(cursor, sequenceKey, default: phase == .training ? 4096 : 512, maximum: 1 << 22))
        spec.outputTokens = try positiveInt(cursor, "output_tokens", default: 256, maximum: 1 << 22)
        spec.tenant = try cursor.optionalString("tenant") ?? spec.tenant
        spec.namespace = try cursor.optionalString("namespace") ?? spec.namespace
        if let priority = try cursor.optionalInt("priority") {
            guard (0...9).contains(priority) else {
                throw InputError(field(cursor, "priority"), "\(priority)", expected: "0 (P0, most important) … 9")
            }
            spec.priority = priority
        }
        spec.gpus = try positiveInt(cursor, "gpus", default: 1, maximum: 100_000)
        spec.node = try cursor.optionalString("node")
        spec.startSeconds = try Self.duration(cursor, "start") ?? 0
        spec.endSeconds = try Self.duration(cursor, "end")
        if let end = spec.endSeconds, end <= spec.startSeconds {
            throw InputError(field(cursor, "end"), "\(end) s is not after start \(spec.startSeconds) s", expected: "end > start")
        }
        guard spec.startSeconds <= duration else {
            throw InputError(field(cursor, "start"), "\(spec.startSeconds) s", expected: "a start within the run (\(duration) s)")
        }
        if let stall = try cursor.optionalDouble("input_stall") {
            guard (0...1).contains(stall) else { throw InputError(field(cursor, "input_stall"), "\(stall)", expected: "a fraction 0…1") }
            spec.inputStallFraction = stall
        }
        if let cores = try cursor.optionalInt("cpu_cores") {
            guard cores >= 0 else { throw InputError(field(cursor, "cpu_cores"), "\(cores)", expected: "a count ≥ 0") }
            spec.cpuCores = cores
        }
        if let gib = try cursor.optionalDouble("memory_gib") {
            guard gib >= 0 else { throw InputError(field(cursor, "memory_gib"), "\(gib)", expected: "a size ≥ 0") }
            spec.hostMemoryBytes = gib * gibibyte
        }
        if let sharing = cursor.first(["sharing"]) { spec.sharing = try sharingRequest(sharing, gpus: spec.gpus) }
        if let requests = cursor.first(["requests"]) {
            guard phase == .inference else { throw InputError(requests.path, "requests given to a training workload", expected: "no requests") }
            spec.requests = try requestPattern(requests)
        } else if phase == .inference {
            spec.requests = .poisson(ratePerSecond: 1)
        }
        if let sla = cursor.first(["sla"]) {
            try allow(sla, ["ttft_seconds", "itl_seconds"])
            spec.serviceLevel = ServiceLevel(
                timeToFirstTokenSeconds: try positive(sla, "ttft_seconds"), interTokenLatencySeconds: try positive(sla, "itl_seconds"))
        }
        let replicas = try positiveInt(cursor, "replicas", default: 1, maximum: 100_000)
        guard replicas > 1 else { return [spec] }
        if spec.node != nil {
            throw InputError(field(cursor, "node"), "a node pin with \(replicas) replicas", expected: "no node for replicated workloads")
        }
        return (0..<replicas).map { replica in
            var copy = spec
            copy.name = "\(name)-\(replica)"
            return copy
        }
    }

    static func sharingRequest(_ cursor: ConfigCursor, gpus: Int) throws(InputError) -> SharingRequest {
        if case .string(let kind) = cursor.value, kind == "whole" { return .whole }
        try allow(cursor, ["mig", "mps"])
        guard gpus == 1 else { throw InputError(cursor.path, "a shared GPU for a \(gpus)-GPU workload", expected: "gpus: 1 with mig or mps") }
        if let profile = cursor.first(["mig"]) { return .mig(try profile.asString().lowercased()) }
        if let mps = cursor.first(["mps"]) {
            try allow(mps, ["sm_percent", "memory_gib"])
            let percent = try positiveInt(mps, "sm_percent", maximum: 100)
            guard let gib = try positive(mps, "memory_gib") else {
                throw InputError(mps.path, "missing field \"memory_gib\"", expected: "the client's memory limit in GiB")
            }
            return .mps(smPercent: percent, memoryBytes: gib * gibibyte)
        }
        throw InputError(cursor.path, "empty", expected: "whole, {mig: PROFILE} or {mps: {sm_percent, memory_gib}}")
    }

    static func requestPattern(_ cursor: ConfigCursor) throws(InputError) -> RequestPattern {
        try allow(cursor, ["poisson", "bursty", "trace"])
        if let rate = cursor.first(["poisson"]) {
            let value = try rate.asDouble()
            guard value >= 0, value <= 1e6 else { throw InputError(rate.path, "\(value) requests/s", expected: "a rate 0…1,000,000") }
            return .poisson(ratePerSecond: value)
        }
        if let bursty = cursor.first(["bursty"]) {
            try allow(bursty, ["quiet", "burst", "burst_seconds", "quiet_seconds"])
            let quiet = try bursty.requiredDouble("quiet")
            let burst = try bursty.requiredDouble("burst")
            guard quiet >= 0, burst >= quiet, burst <= 1e6 else {
                throw InputError(bursty.path, "quiet \(quiet), burst \(burst) requests/s", expected: "0 ≤ quiet ≤ burst ≤ 1,000,000")
            }
            guard let burstSeconds = try positive(bursty, "burst_seconds"), let quietSeconds = try positive(bursty, "quiet_seconds") else {
                throw InputError(bursty.path, "missing burst_seconds or quiet_seconds", expected: "mean lengths of bursts and gaps in seconds")
            }
            return .bursty(quietRate: quiet, burstRate: burst, meanBurstSeconds: burstSeconds, meanQuietSeconds: quietSeconds)
        }
        if let trace = cursor.first(["trace"]) {
            var points: [RequestPattern.RatePoint] = []
            for item in try trace.asArray() {
                let pair = try item.asArray()
                guard pair.count == 2 else { throw InputError(item.path, "\(pair.count) values", expected: "[seconds, requests per second]") }
                let seconds = try pair[0].asDouble()
                let rate = try pair[1].asDouble()
                guard seconds >= 0, rate >= 0, rate <= 1e6 else {
                    throw InputError(item.path, "[\(seconds), \(rate)]", expected: "times and rates ≥ 0")
                }
                if let last = points.last, seconds <= last.seconds {
                    throw InputError(item.path, "time \(seconds) s is not after \(last.seconds) s", expected: "increasing times")
                }
                points.append(.init(seconds: seconds, ratePerSecond: rate))
            }
            guard !points.isEmpty else { throw InputError(trace.path, "an empty trace", expected: "[[seconds, rate], …]") }
            return .trace(points)
        }
        throw InputError(cursor.path, "empty", expected: "{poisson: RATE}, {bursty: {…}} or {trace: [[seconds, rate], …]}")
    }

    static func fault(_ cursor: ConfigCursor, duration: Double) throws(InputError) -> FaultSpec {
        let kinds = ["xid", "fall_off_bus", "node_loss", "stalled_loader", "zombie", "degraded_nvlink", "thermal_throttle"]
        try allow(cursor, ["at"] + kinds)
        guard let at = try Self.duration(cursor, "at") else {
            throw InputError(cursor.path, "missing field \"at\"", expected: "the time of the fault")
        }
        guard at <= duration else { throw InputError(field(cursor, "at"), "\(at) s", expected: "a time within the run (\(duration) s)") }
        let present = kinds.filter { cursor.has($0) }
        guard present.count == 1, let kind = present.first, let body = cursor.first([kind]) else {
            throw InputError(
                cursor.path, present.isEmpty ? "no fault kind" : "\(present.count) fault kinds",
                expected: "exactly one of \(kinds.joined(separator: ", "))")
        }
        let fault: FaultKind
        switch kind {
        case "xid":
            try allow(body, ["node", "gpu", "code"])
            fault = .xid(node: try body.requiredString("node"), gpu: try body.requiredInt("gpu"), code: try body.requiredInt("code"))
        case "fall_off_bus":
            try allow(body, ["node", "gpu"])
            fault = .fallOffBus(node: try body.requiredString("node"), gpu: try body.requiredInt("gpu"))
        case "node_loss":
            if case .string(let node) = body.value {
                fault = .nodeLoss(node: node)
            } else {
                try allow(body, ["node"])
                fault = .nodeLoss(node: try body.requiredString("node"))
            }
        case "stalled_loader":
            try allow(body, ["workload", "fraction"])
            fault = .stalledLoader(workload: try body.requiredString("workload"), fraction: try body.optionalDouble("fraction") ?? 0.5)
        case "zombie":
            if case .string(let workload) = body.value {
                fault = .zombie(workload: workload)
            } else {
                try allow(body, ["workload"])
                fault = .zombie(workload: try body.requiredString("workload"))
            }
        case "degraded_nvlink":
            try allow(body, ["node", "factor"])
            fault = .degradedNVLink(node: try body.requiredString("node"), factor: try body.optionalDouble("factor") ?? 0.5)
        default:
            try allow(body, ["node", "gpu", "factor"])
            fault = .thermalThrottle(
                node: try body.requiredString("node"), gpu: try body.requiredInt("gpu"), factor: try body.optionalDouble("factor") ?? 1.6)
        }
        return FaultSpec(atSeconds: at, kind: fault)
    }
}
