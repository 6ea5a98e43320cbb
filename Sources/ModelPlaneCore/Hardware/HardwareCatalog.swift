/// A device as a real system named it, resolved to its model and the part of it a workload sees.
public struct ResolvedGPU: Sendable, Equatable {
    public var model: GPUModel
    /// Set when the name carried a MIG profile (`NVIDIA-H100-80GB-HBM3-MIG-1g.10gb`).
    public var mig: MIGProfile?
    /// True when GPU Feature Discovery marked the product as shared (`-SHARED`: time-slicing or MPS replicas).
    public var shared: Bool
    /// A vGPU profile suffix (`4Q` in `NVIDIA-A16-4Q`), when present.
    public var vgpuProfile: String?
}

/// Every accelerator ModelPlane knows, looked up by the names real systems report.
///
/// Names are matched case- and punctuation-insensitively, so dcgm-exporter's `modelName`
/// ("NVIDIA H100 80GB HBM3"), GPU Feature Discovery's `nvidia.com/gpu.product` ("NVIDIA-H100-80GB-HBM3",
/// with `-SHARED` and `-MIG-1g.10gb` forms), AMD's "AMD Instinct MI300X" and aliases (`h100-sxm`) all resolve.
public struct HardwareCatalog: Sendable {
    public private(set) var models: [GPUModel]
    private var index: [String: Int]

    public init(models: [GPUModel]) {
        self.models = models
        self.index = [:]
        rebuildIndex()
    }

    /// The built-in catalog.
    public static let builtin = HardwareCatalog(models: builtinModels)

    private mutating func rebuildIndex() {
        index = [:]
        for (position, model) in models.enumerated() {
            for name in [model.id, model.displayName] + model.names {
                let key = Self.key(name)
                if !key.isEmpty { index[key] = position }
            }
        }
    }

    /// Lookup key: lower-case letters and digits only.
    static func key(_ name: String) -> String { Suggestions.normalize(name) }

    /// Resolves a reported device name, or fails with the closest known names.
    public func resolve(_ reportedName: String) throws(InputError) -> ResolvedGPU {
        var base = reportedName.trimmingSpaces()
        guard !base.isEmpty else { throw InputError("GPU name", "is empty", expected: "a device name such as \"NVIDIA H100 80GB HBM3\" or h100-sxm") }
        var shared = false
        var migName: String?
        var vgpu: String?
        if base.uppercased().hasSuffix("-SHARED") {
            shared = true
            base = String(base.dropLast("-SHARED".count))
        }
        if let range = base.uppercased().firstRange(of: "-MIG-") ?? base.uppercased().firstRange(of: " MIG ") {
            let lower = base.distance(from: base.startIndex, to: range.lowerBound)
            let upper = base.distance(from: base.startIndex, to: range.upperBound)
            migName = String(base.dropFirst(upper))
            base = String(base.prefix(lower))
        }
        if let model = lookup(base) {
            return ResolvedGPU(model: model, mig: try migName.map { name throws(InputError) in try model.migProfile(named: name) }, shared: shared)
        }
        // A vGPU profile suffix: "NVIDIA-A16-4Q", "GRID A100-40C".
        if let dash = base.lastIndex(where: { $0 == "-" || $0 == " " }) {
            let suffix = base[base.index(after: dash)...]
            if let last = suffix.last, "QABC".contains(last), suffix.dropLast().allSatisfy(\.isNumber), !suffix.dropLast().isEmpty,
                let model = lookup(String(base[..<dash]))
            {
                vgpu = String(suffix)
                return ResolvedGPU(model: model, mig: nil, shared: shared, vgpuProfile: vgpu)
            }
        }
        let candidates = models.flatMap { [$0.names.first ?? $0.id] + $0.names.filter { !$0.contains(" ") } }
        let close = Suggestions.closest(to: base, among: candidates)
        throw InputError(
            "GPU \"\(reportedName)\"", "unknown device",
            expected: close.isEmpty
                ? "a name from `modelplane catalog gpus`, or an entry in a --catalog file"
                : "one of the closest known names: \(close.joined(separator: ", "))")
    }

    /// Looks up a plain device name (no MIG or sharing suffix); nil when unknown.
    public func lookup(_ name: String) -> GPUModel? {
        let key = Self.key(name)
        if let position = index[key] { return models[position] }
        for prefix in ["nvidia", "tesla", "amdinstinct", "amd", "intel", "google"] where key.hasPrefix(prefix) {
            if let position = index[String(key.dropFirst(prefix.count))] { return models[position] }
        }
        return nil
    }

    /// Adds a model, or replaces the one with the same id.
    public mutating func upsert(_ model: GPUModel) {
        if let position = models.firstIndex(where: { $0.id == model.id }) {
            models[position] = model
        } else {
            models.append(model)
        }
        rebuildIndex()
    }
}
