public import ModelPlaneCore

/// One node's score in an extender's answer to `prioritize`.
///
/// Scores run from `minScore` (0) to `maxScore` (10, Kubernetes' `MaxExtenderPriority`); kube-scheduler multiplies
/// them by the extender's weight and by `MaxNodeScore / MaxExtenderPriority`, so a score outside 0…10 would distort
/// every other plugin's and is refused here rather than sent.
public struct HostPriority: ExtenderMessage, Equatable {
    public static let goTypeName = "HostPriority"
    public static let minScore = 0
    public static let maxScore = 10

    public let host: String
    public let score: Int

    /// A score of 0…10; anything else is an error.
    public init(host: String, score: Int) throws(InputError) {
        guard (Self.minScore...Self.maxScore).contains(score) else {
            throw InputError(
                "score of \(host)", "\(score) is outside \(Self.minScore)…\(Self.maxScore)", expected: "a whole number 0…10 (MaxExtenderPriority)")
        }
        self.host = host
        self.score = score
    }

    /// A score from a fraction of the best (0…1), rounded to 0…10. Rounding slop within 0.1 % of the range is
    /// clamped; a fraction clearly outside it, or not finite, is an error.
    public init(host: String, fraction: Double) throws(InputError) {
        guard fraction.isFinite, fraction >= -0.001, fraction <= 1.001 else {
            throw InputError("score of \(host)", "fraction \(fraction) is outside 0…1", expected: "a finite fraction of the best score, 0…1")
        }
        try self.init(host: host, score: Int((min(max(fraction, 0), 1) * Double(Self.maxScore)).rounded()))
    }

    public static func decode(_ text: String, options: ExtenderDecodingOptions) throws(InputError) -> HostPriority {
        try HostPriority(root(text, options))
    }

    init(_ node: JSONNode) throws(InputError) {
        let fields = try node.goFields(Self.goTypeName)
        let host = try fields["Host"]?.goString() ?? ""
        let score = try fields["Score"]?.goInt() ?? 0
        guard (Self.minScore...Self.maxScore).contains(score) else {
            throw InputError("\(node.path).Score", "\(score) is outside \(Self.minScore)…\(Self.maxScore)", expected: "a whole number 0…10")
        }
        self.host = host
        self.score = score
    }

    public func jsonText() -> String { GoJSON.object([("Host", GoJSON.string(host)), ("Score", String(score))]) }
}

/// An extender's whole answer to `prioritize`: a JSON array of `HostPriority`. An empty list is written `[]`
/// (Go writes a nil slice as `null`; both read back as empty).
public struct HostPriorityList: ExtenderMessage, Equatable {
    public static let goTypeName = "HostPriorityList"

    public var priorities: [HostPriority]

    public init(_ priorities: [HostPriority]) { self.priorities = priorities }

    public static func decode(_ text: String, options: ExtenderDecodingOptions) throws(InputError) -> HostPriorityList {
        let list = try root(text, options)
        guard !list.isNull else { return HostPriorityList([]) }
        var priorities: [HostPriority] = []
        for element in try list.elements(expected: "a list of HostPriority objects") { priorities.append(try HostPriority(element)) }
        return HostPriorityList(priorities)
    }

    public func jsonText() -> String { GoJSON.array(priorities.map { $0.jsonText() }) }
}
