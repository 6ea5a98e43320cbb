/// Why a series that ModelPlane understands did not become a value.
public enum NormalizationProblem: String, Sendable, CaseIterable, Comparable {
    case notANumber = "NaN value"
    case infinite = "infinite value"
    /// dcgm-exporter's blank sentinels (`DCGM_INT64_BLANK` = 9223372036854775792 … +3, `DCGM_FP64_BLANK` =
    /// 140737488355328 … +3): the field has no data, which is absent, not zero.
    case noData = "no-data sentinel"
    case outOfRange = "value out of range"
    /// A second series for a field already set from an equally preferred one; the first is kept.
    case conflictingSeries = "conflicting series"
    case missingIdentity = "no device identity"
    case invalidLabel = "invalid label value"
    case deviceLimit = "device limit reached"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One series that did not become a value, with where it came from.
public struct NormalizationIssue: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line in the exposition body, when it came from one.
    public var line: Int?
    public var series: String
    public var problem: NormalizationProblem
    public var detail: String

    public var description: String {
        (line.map { "line \($0): " } ?? "") + "\(problem.rawValue): \(series)" + (detail.isEmpty ? "" : " (\(detail))")
    }
}

/// The vendor-neutral result of one scrape (or one Prometheus query result).
public struct NormalizedScrape: Sendable {
    /// Sorted by key.
    public var devices: [DeviceSample]
    /// Sorted by key.
    public var workloads: [WorkloadSample]
    /// Samples that became (or tried to become) a schema field, and samples of series ModelPlane does not map.
    public var mappedSamples: Int
    public var unmappedSamples: Int
    /// How many series were refused, per problem (all of them).
    public var problems: [NormalizationProblem: Int]
    /// The first refused series, with details.
    public var issues: [NormalizationIssue]

    public var problemCount: Int { problems.values.reduce(0, +) }

    public func device(_ key: DeviceKey) -> DeviceSample? { devices.first { $0.key == key } }
}
