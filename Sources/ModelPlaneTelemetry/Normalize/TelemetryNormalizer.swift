/// Turns exporter samples into `DeviceSample`s and `WorkloadSample`s: a `SampleSink` for the exposition parser,
/// also fed series by series from Prometheus query results.
///
/// Rules (docs/research/telemetry-normalization.md): names match exactly; the mapping table, not `# TYPE`, decides
/// units and kinds; devices are keyed by (node, GPU index, MIG instance) read by label name; absent stays absent
/// (NaN, sentinels and refused values set nothing); a MIG instance never inherits its parent's values.
public struct TelemetryNormalizer: SampleSink {
    public struct Options: Sendable {
        /// Names the server when a vLLM series names neither a pod nor an instance (the scrape target).
        public var target: String?
        /// Pod-name prefixes of exporters (the pod Prometheus attaches to an unbound GPU's series).
        public var exporterPods: [String]
        /// Distinct devices plus servers accepted from one scrape; the rest are refused as `deviceLimit`.
        public var maximumDevices: Int
        /// Refused series kept with details (all are counted).
        public var keptIssues: Int

        public init(
            target: String? = nil,
            exporterPods: [String] = ["nvidia-dcgm-exporter-", "dcgm-exporter-", "default-metrics-exporter-", "amd-device-metrics-exporter-"],
            maximumDevices: Int = 100_000, keptIssues: Int = 100
        ) {
            self.target = target
            self.exporterPods = exporterPods
            self.maximumDevices = maximumDevices
            self.keptIssues = keptIssues
        }
    }

    public var options: Options
    private var devices: [DeviceSample] = []
    private var deviceIndex: [DeviceKey: Int] = [:]
    /// Priority of the mapping that set each device field (`unset` when none); `DeviceMetric.allCases.count` per device.
    private var devicePriorities: [UInt8] = []
    private var workloads: [WorkloadSample] = []
    private var workloadIndex: [WorkloadKey: Int] = [:]
    private var workloadPriorities: [UInt8] = []
    /// Label-set hash → device (or server) index, so a label set is read once per scrape, not once per family.
    private var deviceCache = HashedKeyTable()
    private var workloadCache = HashedKeyTable()
    private var cacheCapacities: [(target: String?, engine: String?, tokens: Double)] = []
    private var lastName = ""
    private var lastMapping: MetricMapping?
    private var mapped = 0
    private var unmapped = 0
    private var problems: [NormalizationProblem: Int] = [:]
    private var issues: [NormalizationIssue] = []

    private static let unset = UInt8.max
    private static let deviceMetricCount = DeviceMetric.allCases.count
    private static let workloadMetricCount = WorkloadMetric.allCases.count + LatencyMetric.allCases.count
    private static let noIdentity = -1

    public init(options: Options = Options()) {
        self.options = options
    }

    public mutating func accept(_ view: SampleView) {
        let integer = view.value >= 9_007_199_254_740_992 ? view.integerToken : nil
        // Fast path: a device series whose label set this scrape already resolved needs no label strings at all.
        if view.name == lastName, let mapping = lastMapping, case .device(let metric) = mapping.target, metric != .lastXid,
            let device = deviceCache[view.labelSetHash], device >= 0, devices[device].vendor == (mapping.vendor ?? .nvidia),
            view.value.isFinite, !(mapping.dcgmSentinels && Self.isDCGMBlank(view.value, integerToken: integer))
        {
            mapped += 1
            if let (problem, detail) = setDevice(device, metric, mapping.scale.apply(view.value), mapping: mapping) {
                record(problem, view.sample, line: view.line, detail: detail)
            }
            stamp(&devices[device].timestampMilliseconds, timestamp: view.timestampMilliseconds)
            return
        }
        ingest(view.sample, labelSetHash: view.labelSetHash, line: view.line, integerToken: integer)
    }

    /// Normalizes one sample. `labelSetHash`, when given, must be equal exactly for equal label sets (the parser's
    /// is); `integerToken` is the value as written when it was a plain integer above 2^53 (for sentinels).
    public mutating func ingest(_ sample: Sample, labelSetHash: UInt64? = nil, line: Int? = nil, integerToken: UInt64? = nil) {
        let mapping: MetricMapping
        if sample.name == lastName, let lastMapping {
            mapping = lastMapping
        } else {
            guard let found = MetricMappings.table[sample.name] else {
                unmapped += 1
                return
            }
            lastName = sample.name
            lastMapping = found
            mapping = found
        }
        mapped += 1
        guard let raw = check(sample, mapping: mapping, line: line, integerToken: integerToken) else { return }
        switch mapping.target {
        case .device(let metric):
            guard let device = resolveDevice(sample, labelSetHash: labelSetHash, vendor: mapping.vendor ?? .nvidia, line: line) else { return }
            if let (problem, detail) = setDevice(device, metric, mapping.scale.apply(raw), mapping: mapping) {
                record(problem, sample, line: line, detail: detail)
            } else if metric == .lastXid, let message = sample.label("err_msg"), !message.isEmpty {
                devices[device].xidMessage = message
            }
            stamp(&devices[device].timestampMilliseconds, sample)
        case .amdClock:
            guard let device = resolveDevice(sample, labelSetHash: labelSetHash, vendor: .amd, line: line) else { return }
            let metric: DeviceMetric
            switch sample.label("clock_type")?.lowercased() {
            case "system", "gpu_clock_type_system": metric = .smClock
            case "memory", "gpu_clock_type_memory": metric = .memoryClock
            default: return  // data, video, soc: not in the schema
            }
            if let (problem, detail) = setDevice(device, metric, mapping.scale.apply(raw), mapping: mapping) {
                record(problem, sample, line: line, detail: detail)
            }
            stamp(&devices[device].timestampMilliseconds, sample)
        case .workload(let metric):
            guard let server = resolveWorkload(sample, labelSetHash: labelSetHash, line: line) else { return }
            stamp(&workloads[server].timestampMilliseconds, sample)
            setWorkload(server, slot: metric.rawValue, raw, mapping: mapping, sample: sample, line: line) { $0[metric] = $1 }
        case .latency(let metric, let part):
            guard let server = resolveWorkload(sample, labelSetHash: labelSetHash, line: line) else { return }
            stamp(&workloads[server].timestampMilliseconds, sample)
            setLatency(server, metric, part, raw, mapping: mapping, sample: sample, line: line)
        case .vllmCacheConfig:
            guard let blocks = sample.label("num_gpu_blocks").flatMap(Double.init),
                let blockSize = sample.label("block_size").flatMap(Double.init), blocks >= 0, blockSize > 0
            else { return }
            // The info series names the engine but not the model: it applies to every model the server's engine serves.
            let identity = SeriesIdentity(sample.labels)
            let target = identity.podReference(exporterPods: options.exporterPods).map(\.qualifiedName) ?? identity.instance ?? options.target
            cacheCapacities.append((target, identity.engine, blocks * blockSize))
        }
    }

    private func stamp(_ newest: inout Int64?, _ sample: Sample) {
        stamp(&newest, timestamp: sample.timestampMilliseconds)
    }

    private func stamp(_ newest: inout Int64?, timestamp: Int64?) {
        guard let timestamp else { return }
        newest = max(newest ?? timestamp, timestamp)
    }

    /// The normalized scrape so far, devices and servers sorted by key.
    public func result() -> NormalizedScrape {
        var copy = self
        return copy.finish()
    }

    /// The normalized scrape, devices and servers sorted by key, moved out of the normalizer (which starts empty
    /// again): no second copy of the devices is made, so a large scrape peaks lower than with `result()`.
    public mutating func finish() -> NormalizedScrape {
        var devices = self.devices
        var workloads = self.workloads
        let capacities = cacheCapacities
        let scrape = (mapped, unmapped, problems, issues)
        self = TelemetryNormalizer(options: options)
        for capacity in capacities {
            for index in workloads.indices where workloads[index].key.target == capacity.target && workloads[index].key.engine == capacity.engine {
                workloads[index][.kvCacheCapacity] = capacity.tokens
            }
        }
        // Sort positions, then move the (large) samples into place along the permutation's cycles.
        let deviceOrder = devices.indices.sorted { devices[$0].key < devices[$1].key }
        let serverOrder = workloads.indices.sorted { workloads[$0].key < workloads[$1].key }
        Self.permute(&devices, into: deviceOrder)
        Self.permute(&workloads, into: serverOrder)
        return NormalizedScrape(
            devices: devices, workloads: workloads, mappedSamples: scrape.0, unmappedSamples: scrape.1, problems: scrape.2, issues: scrape.3)
    }

    /// Rearranges `elements` so that position i holds what was at `order[i]`, in place.
    static func permute<Element>(_ elements: inout [Element], into order: [Int]) {
        var placed = [Bool](repeating: false, count: elements.count)
        for start in elements.indices where !placed[start] {
            var position = start
            while !placed[position] {
                placed[position] = true
                let source = order[position]
                if source == start { break }
                elements.swapAt(position, source)
                position = source
            }
        }
    }

    // MARK: values

    /// The raw value when it is usable; records why not otherwise.
    private mutating func check(_ sample: Sample, mapping: MetricMapping, line: Int?, integerToken: UInt64?) -> Double? {
        let value = sample.value
        if value.isNaN {
            record(.notANumber, sample, line: line)
            return nil
        }
        if value.isInfinite {
            record(.infinite, sample, line: line)
            return nil
        }
        if mapping.dcgmSentinels, Self.isDCGMBlank(value, integerToken: integerToken) {
            record(.noData, sample, line: line, detail: "\(integerToken.map(String.init) ?? String(value))")
            return nil
        }
        return value
    }

    /// dcgm-exporter's blanks: `DCGM_INT64_BLANK` (0x7ffffffffffffff0) and the three codes after it, and
    /// `DCGM_FP64_BLANK` (2^47) and the three after it. Read from the integer as written when there is one: as a
    /// Double, …792 to …795 all round to 2^63. No real DCGM value reaches 2^63 (the int64 limit).
    static func isDCGMBlank(_ value: Double, integerToken: UInt64?) -> Bool {
        if let integerToken { return integerToken >= 9_223_372_036_854_775_792 }
        if value >= 9_223_372_036_854_775_808.0 { return true }
        return value >= 140_737_488_355_328 && value <= 140_737_488_355_331 && value == value.rounded()
    }

    private mutating func record(_ problem: NormalizationProblem, _ sample: @autoclosure () -> Sample, line: Int?, detail: String = "") {
        problems[problem, default: 0] += 1
        guard issues.count < options.keptIssues else { return }
        let sample = sample()
        let labels = sample.labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",")
        issues.append(NormalizationIssue(line: line, series: sample.name + (labels.isEmpty ? "" : "{\(labels)}"), problem: problem, detail: detail))
    }

    /// Sets one field of a device by the mapping's priority and combination rule; the problem and its detail
    /// when the value is refused (the caller records it with the sample).
    private mutating func setDevice(
        _ device: Int, _ metric: DeviceMetric, _ converted: Double, mapping: MetricMapping
    ) -> (NormalizationProblem, String)? {
        var value = converted
        let range = metric.plausibleRange
        guard range.contains(value) else {
            return (.outOfRange, "\(value) \(metric.unit.rawValue) outside \(range.lowerBound)…\(range.upperBound)")
        }
        if metric.unit == .ratio { value = min(value, 1) }
        // On a partitioned AMD GPU only partition 0 reports power and activity; the others report 0, not a reading.
        if devices[device].vendor == .amd, let instance = devices[device].key.instance, instance != 0, metric == .power || metric == .gpuUtilization {
            return nil
        }
        let slot = device * Self.deviceMetricCount + metric.rawValue
        let current = devicePriorities[slot]
        if current == Self.unset || mapping.priority < current {
            devices[device][metric] = value
            devicePriorities[slot] = mapping.priority
        } else if mapping.priority == current {
            switch mapping.combine {
            case .single: return (.conflictingSeries, "\(metric) of \(devices[device].key) already \(devices[device][metric] ?? .nan)")
            case .sum: devices[device][metric] = (devices[device][metric] ?? 0) + value
            case .maximum: devices[device][metric] = max(devices[device][metric] ?? value, value)
            }
        }
        return nil
    }

    private mutating func setWorkload(
        _ server: Int, slot metricSlot: Int, _ value: Double, mapping: MetricMapping, sample: Sample, line: Int?,
        assign: (inout WorkloadSample, Double) -> Void
    ) {
        guard value >= 0, metricSlot != WorkloadMetric.kvCacheUsage.rawValue || value <= 1.05 else {
            record(.outOfRange, sample, line: line, detail: "\(value)")
            return
        }
        let value = metricSlot == WorkloadMetric.kvCacheUsage.rawValue ? min(value, 1) : value
        let slot = server * Self.workloadMetricCount + metricSlot
        let current = workloadPriorities[slot]
        if current == Self.unset || mapping.priority < current {
            assign(&workloads[server], value)
            workloadPriorities[slot] = mapping.priority
        } else if mapping.priority == current {
            if mapping.combine == .sum, let metric = WorkloadMetric(rawValue: metricSlot) {
                workloads[server][metric] = (workloads[server][metric] ?? 0) + value
            } else {
                record(.conflictingSeries, sample, line: line)
            }
        }
    }

    private mutating func setLatency(
        _ server: Int, _ metric: LatencyMetric, _ part: MetricMapping.HistogramPart, _ value: Double, mapping: MetricMapping, sample: Sample,
        line: Int?
    ) {
        guard value >= 0 else {
            record(.outOfRange, sample, line: line, detail: "\(value) (a histogram count or sum is never negative)")
            return
        }
        let slot = server * Self.workloadMetricCount + WorkloadMetric.allCases.count + metric.rawValue
        let current = workloadPriorities[slot]
        if current != Self.unset, mapping.priority > current { return }
        if current != Self.unset, mapping.priority < current { workloads[server].latencies[metric] = nil }
        workloadPriorities[slot] = mapping.priority
        var histogram = workloads[server].latencies[metric] ?? LatencyHistogram()
        switch part {
        case .count: histogram.count = value
        case .sum: histogram.sum = value
        case .bucket:
            guard let bound = sample.label("le").flatMap(Self.parseBound) else {
                record(.invalidLabel, sample, line: line, detail: "le must be a number or +Inf")
                return
            }
            histogram.setBucket(bound, value)
        }
        workloads[server].latencies[metric] = histogram
    }

    private static func parseBound(_ text: String) -> Double? {
        if text == "+Inf" || text == "Inf" { return .infinity }
        guard let value = Double(text), !value.isNaN else { return nil }
        return value
    }

    // MARK: identity

    private mutating func resolveDevice(_ sample: Sample, labelSetHash: UInt64?, vendor: GPUVendor, line: Int?) -> Int? {
        if let labelSetHash, let cached = deviceCache[labelSetHash] {
            guard cached >= 0 else { return nil }
            if devices[cached].vendor == vendor { return cached }
        }
        let identity = SeriesIdentity(sample.labels)
        var gpuIndex: Int?
        if let text = identity.gpuIndexText {
            guard let index = Int(text), index >= 0 else {
                record(.invalidLabel, sample, line: line, detail: "GPU index \"\(text)\" is not a non-negative integer")
                return cache(labelSetHash, nil)
            }
            gpuIndex = index
        }
        guard gpuIndex != nil || identity.uuid != nil else {
            record(.missingIdentity, sample, line: line, detail: "neither a GPU index (gpu, gpu_id) nor a UUID label")
            return cache(labelSetHash, nil)
        }
        var instance: Int?
        var profile: String?
        if let mig = identity.migInstance {
            guard let id = Int(mig), id >= 0 else {
                record(.invalidLabel, sample, line: line, detail: "GPU_I_ID \"\(mig)\" is not a non-negative integer")
                return cache(labelSetHash, nil)
            }
            instance = id
            profile = identity.migProfile
        } else if identity.isPartitioned, let partition = identity.partitionID, let id = Int(partition) {
            instance = id
            profile = [identity.computePartition, identity.memoryPartition].compactMap { $0 }.joined(separator: "/")
        }
        let key = DeviceKey(node: identity.node, gpuIndex: gpuIndex, uuid: identity.uuid, instance: instance)
        let index: Int
        if let existing = deviceIndex[key] {
            index = existing
        } else {
            guard deviceIndex.count + workloadIndex.count < options.maximumDevices else {
                record(.deviceLimit, sample, line: line, detail: "limit \(options.maximumDevices)")
                return nil
            }
            index = devices.count
            devices.append(DeviceSample(key: key, vendor: vendor))
            devicePriorities.append(contentsOf: repeatElement(Self.unset, count: Self.deviceMetricCount))
            deviceIndex[key] = index
        }
        var device = devices[index]
        device.uuid = device.uuid ?? identity.uuid
        device.modelName = device.modelName ?? identity.modelName
        device.pciBusID = device.pciBusID ?? identity.pciBusID
        device.driverVersion = device.driverVersion ?? identity.driverVersion
        device.serialNumber = device.serialNumber ?? identity.serialNumber
        device.partitionProfile = device.partitionProfile ?? profile
        device.pod = device.pod ?? identity.podReference(exporterPods: options.exporterPods)
        devices[index] = device
        return cache(labelSetHash, index)
    }

    private mutating func cache(_ hash: UInt64?, _ index: Int?) -> Int? {
        if let hash { deviceCache[hash] = index ?? Self.noIdentity }
        return index
    }

    private mutating func resolveWorkload(_ sample: Sample, labelSetHash: UInt64?, line: Int?) -> Int? {
        if let labelSetHash, let cached = workloadCache[labelSetHash] { return cached >= 0 ? cached : nil }
        let identity = SeriesIdentity(sample.labels)
        guard let model = identity.servedModel else {
            record(.missingIdentity, sample, line: line, detail: "no model_name label")
            if let labelSetHash { workloadCache[labelSetHash] = Self.noIdentity }
            return nil
        }
        let pod = identity.podReference(exporterPods: options.exporterPods)
        let target = pod.map(\.qualifiedName) ?? identity.instance ?? options.target
        let key = WorkloadKey(target: target, modelName: model, engine: identity.engine)
        let index: Int
        if let existing = workloadIndex[key] {
            index = existing
        } else {
            guard deviceIndex.count + workloadIndex.count < options.maximumDevices else {
                record(.deviceLimit, sample, line: line, detail: "limit \(options.maximumDevices)")
                return nil
            }
            index = workloads.count
            var server = WorkloadSample(key: key)
            server.pod = pod
            workloads.append(server)
            workloadPriorities.append(contentsOf: repeatElement(Self.unset, count: Self.workloadMetricCount))
            workloadIndex[key] = index
        }
        if let labelSetHash { workloadCache[labelSetHash] = index }
        return index
    }
}
