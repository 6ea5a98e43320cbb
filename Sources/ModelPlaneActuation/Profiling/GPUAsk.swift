import ModelPlaneCore

/// What a pod asks of GPUs, from its device resources and the sharing annotations, with every conflict an error.
///
/// Resources recognised: `nvidia.com/gpu` and `amd.com/gpu` (whole GPUs; with the annotations, also an MPS share or
/// a MIG instance under the `single` MIG strategy), `nvidia.com/mig-<profile>` (one MIG instance, the `mixed`
/// strategy) and `aliyun.com/gpu-mem` (gpushare: GiB of one GPU's memory, with `modelplane.io/gpu-share` for compute).
struct GPUAsk: Sendable, Equatable {
    var count = 0
    var milli = 0
    var sharing = GPUSharingMode.any
    var migProfile: String?
    var memoryBytes: Double?
    /// `sharing: mps` without a share: the share comes from the workload's classification (`PodProfiler`).
    var classify = false

    static let wholeResources = ["nvidia.com/gpu", "amd.com/gpu"]
    static let migPrefix = "nvidia.com/mig-"
    static let gpuShareMemory = "aliyun.com/gpu-mem"

    /// The declared inputs, each already validated on its own.
    struct Declared {
        var shareMilli: Int?
        var migProfile: String?
        var sharing: GPUSharingMode?
    }

    /// Combines `totals` (device resources) with `declared`; `location` names the pod. `canonicalMIG` resolves a
    /// profile name to the catalog's spelling (or fails).
    static func resolve(
        _ totals: PodResourceTotals, _ declared: Declared, location: String,
        canonicalMIG: (String, String) throws(InputError) -> String
    ) throws(InputError) -> GPUAsk {
        let whole = wholeResources.filter { totals.units($0) > 0 }.map { ($0, totals.units($0)) }
        let mig = totals.milli.keys.filter { $0.hasPrefix(migPrefix) && totals.units($0) > 0 }.sorted().map { ($0, totals.units($0)) }
        let memory = totals.units(gpuShareMemory)
        var asked = whole.map { "\($0.0): \($0.1)" } + mig.map { "\($0.0): \($0.1)" }
        if memory > 0 { asked.append("\(gpuShareMemory): \(memory)") }
        let resources = "\(location): resources"
        guard asked.count <= 1 else {
            throw InputError(resources, "conflicting GPU resources \(asked.joined(separator: ", "))", expected: "one kind of GPU resource per pod")
        }
        let shareText = declared.shareMilli.map { "\(PodAnnotation.gpuShare.rawValue) \(percent($0)) %" }
        if let (name, count) = mig.first {
            let profile = try canonicalMIG(String(name.dropFirst(migPrefix.count)), "\(resources).\(name)")
            guard count == 1 else {
                throw InputError("\(resources).\(name)", "\(count) MIG instances asked", expected: "1 (a pod gets one MIG instance)")
            }
            if let shareText {
                throw InputError(
                    location, "\(shareText) with a MIG instance (\(name))", expected: "an MPS share of a whole GPU or a MIG instance, not both")
            }
            if let declaredProfile = declared.migProfile, declaredProfile != profile {
                throw InputError(
                    location, "\(PodAnnotation.migProfile.rawValue) \(declaredProfile) differs from the resource \(name)",
                    expected: "the same profile, or no annotation")
            }
            try check(declared.sharing, allowed: [.mig, .any], location: location, against: name)
            return GPUAsk(count: 1, milli: sliceMilli(profile), sharing: .mig, migProfile: profile)
        }
        if memory > 0 {
            guard let share = declared.shareMilli else {
                throw InputError(
                    location, "\(gpuShareMemory): \(memory) without a compute share",
                    expected: "\(PodAnnotation.gpuShare.rawValue) beside a gpushare memory request")
            }
            if declared.migProfile != nil {
                throw InputError(location, "\(PodAnnotation.migProfile.rawValue) with \(gpuShareMemory)", expected: "one of the two")
            }
            try check(declared.sharing, allowed: [.mps, .any], location: location, against: gpuShareMemory)
            return GPUAsk(count: 1, milli: share, sharing: .mps, memoryBytes: Double(memory) * gibibyte)
        }
        if let (name, count) = whole.first {
            let asked = "\(name): \(count)"
            if let share = declared.shareMilli, let shareText {
                guard count == 1 else {
                    throw InputError(
                        location, "\(shareText) with \(asked)", expected: "\(name): 1 (a share is of one GPU), or no share for whole GPUs")
                }
                if declared.migProfile != nil {
                    throw InputError(
                        location, "\(shareText) with \(PodAnnotation.migProfile.rawValue)", expected: "an MPS share or a MIG instance, not both")
                }
                if share < 1000 || declared.sharing != .exclusive {
                    try check(declared.sharing, allowed: [.mps, .any], location: location, against: shareText)
                }
                return GPUAsk(count: 1, milli: share, sharing: share == 1000 && declared.sharing == .exclusive ? .exclusive : .mps)
            }
            if let declaredProfile = declared.migProfile {
                let profile = try canonicalMIG(declaredProfile, "\(location): annotation \(PodAnnotation.migProfile.rawValue)")
                guard count == 1 else {
                    throw InputError(location, "MIG profile \(profile) with \(asked)", expected: "\(name): 1 (a pod gets one MIG instance)")
                }
                try check(declared.sharing, allowed: [.mig, .any], location: location, against: "\(PodAnnotation.migProfile.rawValue) \(profile)")
                return GPUAsk(count: 1, milli: sliceMilli(profile), sharing: .mig, migProfile: profile)
            }
            switch declared.sharing {
            case .mps:
                guard count == 1 else {
                    throw InputError(location, "sharing mps with \(asked)", expected: "\(name): 1 (a share is of one GPU)")
                }
                return GPUAsk(count: 1, milli: 0, sharing: .mps, classify: true)
            case .mig:
                throw InputError(
                    location, "sharing mig without a profile",
                    expected: "\(PodAnnotation.migProfile.rawValue) or an nvidia.com/mig-<profile> resource")
            case .any: return GPUAsk(count: Int(count), milli: 1000, sharing: .any)
            case .exclusive, nil: return GPUAsk(count: Int(count), milli: 1000, sharing: .exclusive)
            }
        }
        var stray: [String] = []
        if let shareText { stray.append(shareText) }
        if let profile = declared.migProfile { stray.append("\(PodAnnotation.migProfile.rawValue) \(profile)") }
        if let sharing = declared.sharing { stray.append("\(PodAnnotation.sharing.rawValue) \(sharing.rawValue)") }
        guard stray.isEmpty else {
            throw InputError(
                location, "\(stray.joined(separator: ", ")) but no GPU resource",
                expected: "nvidia.com/gpu: 1 (or nvidia.com/mig-<profile>: 1) beside GPU annotations")
        }
        return GPUAsk(count: 0, milli: 0, sharing: .any)
    }

    /// Thousandths as a percentage: 400 → "40", 125 → "12.5".
    static func percent(_ milli: Int) -> String { milli % 10 == 0 ? "\(milli / 10)" : "\(milli / 10).\(milli % 10)" }

    /// A MIG profile's compute as thousandths of the GPU, by its slices of seven (`1g.10gb` → 143, `7g.80gb` → 1000).
    static func sliceMilli(_ profile: String) -> Int {
        guard let g = profile.firstIndex(of: "g"), let slices = Int(profile[..<g]), slices > 0 else { return 1000 }
        return min(1000, Int((Double(slices) * 1000 / 7).rounded()))
    }

    static func check(_ sharing: GPUSharingMode?, allowed: [GPUSharingMode], location: String, against what: String) throws(InputError) {
        guard let sharing, !allowed.contains(sharing) else { return }
        throw InputError(
            location, "\(PodAnnotation.sharing.rawValue) \(sharing.rawValue) conflicts with \(what)",
            expected: allowed.map(\.rawValue).joined(separator: " or ") + ", or no sharing annotation")
    }
}
