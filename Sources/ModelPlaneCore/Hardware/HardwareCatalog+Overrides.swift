extension HardwareCatalog {
    /// Keys an entry of an override file may set, for typo detection.
    static let overrideKeys: Set<String> = [
        "id", "display_name", "vendor", "architecture", "form_factor", "peak_tflops", "memory_gb", "usable_memory_mib",
        "memory_bandwidth_tb_s", "tdp_w", "interconnect", "interconnect_bandwidth_gb_s", "sms", "price_per_hour_usd", "names",
        "mig_profiles", "notes",
    ]

    /// Applies an operator file (YAML or JSON, already read into a `ConfigValue`) of the form
    ///
    /// ```yaml
    /// gpus:
    ///   - id: h100-sxm            # any known name overrides that entry
    ///     price_per_hour_usd: 2.10
    ///   - id: acme_x1             # an unknown id adds a device
    ///     display_name: ACME X1
    ///     peak_tflops: {bf16: 500, fp8: 1000}
    ///     memory_gb: 96
    ///     memory_bandwidth_tb_s: 3.2
    ///     names: ["ACME X1 96GB"]
    /// prices:                      # shorthand: name → USD per GPU-hour
    ///   l4: 0.70
    /// ```
    ///
    /// Every value is validated (finite, positive, known precision names, no unknown keys); the first
    /// problem fails the whole file, naming the file and key, so a half-applied catalog never exists.
    public func applying(_ file: ConfigValue, source: String) throws(InputError) -> HardwareCatalog {
        var catalog = self
        let root = ConfigCursor(file, path: "\(source):")
        for key in try root.keys() where !["gpus", "prices"].contains(key) {
            throw InputError("\(source): \(key)", "unknown top-level key", expected: "gpus or prices")
        }
        if let gpus = root.child("gpus") {
            for entry in try gpus.asArray() {
                catalog.upsert(try catalog.model(from: entry))
            }
        }
        if let prices = root.child("prices") {
            for name in try prices.keys() {
                guard let cursor = prices.child(name) else { continue }
                let price = try InputError.requirePositive(try cursor.asDouble(), cursor.path, unit: "USD per GPU-hour")
                guard var model = catalog.lookup(name) else {
                    _ = try catalog.resolve(name)
                    continue
                }
                model.pricePerHourUSD = price
                model.priceSource = source
                catalog.upsert(model)
            }
        }
        return catalog
    }

    private func model(from entry: ConfigCursor) throws(InputError) -> GPUModel {
        for key in try entry.keys() where !Self.overrideKeys.contains(key) {
            let close = Suggestions.closest(to: key, among: Array(Self.overrideKeys))
            throw InputError(
                "\(entry.path).\(key)", "unknown key",
                expected: close.isEmpty ? "one of \(Self.overrideKeys.sorted().joined(separator: ", "))" : close.joined(separator: " or "))
        }
        guard let id = try entry.optionalString("id"), !id.isEmpty else {
            throw InputError(entry.path, "missing \"id\"", expected: "the id or a known name of the device to override or add")
        }
        let existing = lookup(id)
        var model =
            existing
            ?? GPUModel(
                id: id, displayName: id, vendor: .other, architecture: "", formFactor: "", peakFLOPS: [:], memoryBytes: 0,
                memoryBandwidthBytesPerSecond: 0, tdpWatts: nil, interconnect: Interconnect(kind: .pcieOnly, name: "PCIe only", bandwidthGBps: nil),
                verification: "operator")
        func positive(_ key: String, _ unit: String) throws(InputError) -> Double? {
            guard let cursor = entry.child(key) else { return nil }
            return try InputError.requirePositive(try cursor.asDouble(), cursor.path, unit: unit)
        }
        if let name = try entry.optionalString("display_name") { model.displayName = name }
        if let vendor = try entry.optionalString("vendor") {
            guard let parsed = Vendor(rawValue: vendor.lowercased()) else {
                throw InputError(
                    "\(entry.path).vendor", "unknown vendor \"\(vendor)\"", expected: Vendor.allCases.map(\.rawValue).joined(separator: ", "))
            }
            model.vendor = parsed
        }
        if let text = try entry.optionalString("architecture") { model.architecture = text }
        if let text = try entry.optionalString("form_factor") { model.formFactor = text }
        if let text = try entry.optionalString("notes") { model.notes = text }
        if let peaks = entry.child("peak_tflops") {
            for name in try peaks.keys() {
                guard let precision = Precision(name: name) else {
                    throw InputError("\(peaks.path).\(name)", "unknown precision", expected: Precision.acceptedNames)
                }
                if let cursor = peaks.child(name) {
                    model.peakFLOPS[precision] = try InputError.requirePositive(try cursor.asDouble(), cursor.path, unit: "TFLOP/s") * 1e12
                }
            }
        }
        if let value = try positive("memory_gb", "GB") { model.memoryBytes = value * gibibyte }
        if let value = try positive("usable_memory_mib", "MiB") { model.observedUsableMemoryBytes = value * 1_048_576 }
        if let value = try positive("memory_bandwidth_tb_s", "TB/s") { model.memoryBandwidthBytesPerSecond = value * 1e12 }
        if let value = try positive("tdp_w", "W") { model.tdpWatts = value }
        if let value = try positive("price_per_hour_usd", "USD per GPU-hour") {
            model.pricePerHourUSD = value
            model.priceSource = entry.path
        }
        if let value = try positive("sms", "SMs") { model.multiprocessors = Int(value) }
        if let name = try entry.optionalString("interconnect") {
            model.interconnect = Interconnect(
                kind: name.lowercased().contains("nvlink") ? .nvlink : .pcieOnly, name: name,
                bandwidthGBps: try positive("interconnect_bandwidth_gb_s", "GB/s"))
        }
        if let names = entry.child("names") {
            model.names += try names.asArray().map { cursor throws(InputError) in try cursor.asString() }
        }
        if existing == nil {
            if model.memoryBytes == 0 { throw InputError(entry.path, "new device \"\(id)\" has no memory_gb", expected: "memory_gb: <GB>") }
            if model.memoryBandwidthBytesPerSecond == 0 {
                throw InputError(entry.path, "new device \"\(id)\" has no memory_bandwidth_tb_s", expected: "memory_bandwidth_tb_s: <TB/s>")
            }
            if model.peakFLOPS.isEmpty {
                throw InputError(entry.path, "new device \"\(id)\" has no peak_tflops", expected: "peak_tflops: {bf16: <dense TFLOP/s>, ...}")
            }
        }
        return model
    }
}
