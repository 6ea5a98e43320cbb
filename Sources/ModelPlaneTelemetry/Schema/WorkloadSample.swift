/// A measurement of one inference server (a vLLM engine), in ModelPlane's units.
public enum WorkloadMetric: Int, CaseIterable, Sendable, CustomStringConvertible {
    case runningRequests, waitingRequests, kvCacheUsage, kvCacheCapacity
    case promptTokens, generationTokens, preemptions, prefixCacheQueries, prefixCacheHits, requestsSucceeded

    public var description: String {
        switch self {
        case .runningRequests: "running_requests"
        case .waitingRequests: "waiting_requests"
        case .kvCacheUsage: "kv_cache_usage"
        case .kvCacheCapacity: "kv_cache_capacity_tokens"
        case .promptTokens: "prompt_tokens_total"
        case .generationTokens: "generation_tokens_total"
        case .preemptions: "preemptions_total"
        case .prefixCacheQueries: "prefix_cache_queries_total"
        case .prefixCacheHits: "prefix_cache_hits_total"
        case .requestsSucceeded: "requests_succeeded_total"
        }
    }

    public var unit: MetricUnit {
        switch self {
        case .runningRequests, .waitingRequests, .requestsSucceeded: .requests
        case .kvCacheUsage: .ratio
        case .kvCacheCapacity, .promptTokens, .generationTokens, .prefixCacheQueries, .prefixCacheHits: .tokens
        case .preemptions: .count
        }
    }

    public var kind: MetricKind {
        switch self {
        case .runningRequests, .waitingRequests, .kvCacheUsage, .kvCacheCapacity: .gauge
        default: .counter
        }
    }

    public var plausibleRange: ClosedRange<Double> {
        unit == .ratio ? 0...1.05 : 0...Double.greatestFiniteMagnitude
    }
}

/// The latency distributions an inference server exports as histograms, in seconds.
public enum LatencyMetric: Int, CaseIterable, Sendable, CustomStringConvertible {
    case timeToFirstToken, interTokenLatency, endToEndLatency

    public var description: String {
        switch self {
        case .timeToFirstToken: "ttft_seconds"
        case .interTokenLatency: "inter_token_latency_seconds"
        case .endToEndLatency: "e2e_latency_seconds"
        }
    }
}

/// A cumulative histogram as Prometheus exports it: bucket upper bounds (`le`, ascending, `+Inf` last) with
/// cumulative counts, plus `_count` and `_sum`.
public struct LatencyHistogram: Sendable, Equatable {
    public var buckets: [(upperBound: Double, count: Double)]
    public var count: Double?
    public var sum: Double?

    public init(buckets: [(upperBound: Double, count: Double)] = [], count: Double? = nil, sum: Double? = nil) {
        self.buckets = buckets
        self.count = count
        self.sum = sum
    }

    /// Inserts or replaces one bucket, keeping the bounds ascending.
    mutating func setBucket(_ upperBound: Double, _ count: Double) {
        if let index = buckets.firstIndex(where: { $0.upperBound >= upperBound }) {
            if buckets[index].upperBound == upperBound {
                buckets[index].count = count
            } else {
                buckets.insert((upperBound, count), at: index)
            }
        } else {
            buckets.append((upperBound, count))
        }
    }

    /// The q-quantile by linear interpolation inside the bucket, as PromQL's `histogram_quantile` does; nil with
    /// no observations or no `+Inf` bucket. A quantile in the `+Inf` bucket is the largest finite bound.
    public func quantile(_ q: Double) -> Double? {
        guard let last = buckets.last, last.upperBound == .infinity, last.count > 0, (0...1).contains(q) else { return nil }
        let rank = q * last.count
        var lowerBound = 0.0
        var lowerCount = 0.0
        for bucket in buckets {
            if bucket.count >= rank {
                if bucket.upperBound == .infinity { return lowerBound }
                let inBucket = bucket.count - lowerCount
                return inBucket > 0 ? lowerBound + (bucket.upperBound - lowerBound) * (rank - lowerCount) / inBucket : lowerBound
            }
            lowerBound = bucket.upperBound
            lowerCount = bucket.count
        }
        return nil
    }

    /// Mean observation (`_sum / _count`), when there is one.
    public var mean: Double? {
        guard let count, let sum, count > 0 else { return nil }
        return sum / count
    }

    public static func == (lhs: LatencyHistogram, rhs: LatencyHistogram) -> Bool {
        lhs.count == rhs.count && lhs.sum == rhs.sum && lhs.buckets.count == rhs.buckets.count
            && zip(lhs.buckets, rhs.buckets).allSatisfy { $0.upperBound == $1.upperBound && $0.count == $1.count }
    }
}

/// Which inference server a sample describes: the scrape target (or pod), the served model and the engine index.
public struct WorkloadKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// `namespace/pod` when the series names a pod, else the Prometheus `instance`, else the scrape target.
    public var target: String?
    public var modelName: String
    /// vLLM V1's `engine` label (V0 has none).
    public var engine: String?

    public init(target: String?, modelName: String, engine: String?) {
        self.target = target
        self.modelName = modelName
        self.engine = engine
    }

    public var description: String { "\(target ?? "-")/\(modelName)" + (engine.map { "#\($0)" } ?? "") }

    public static func < (lhs: WorkloadKey, rhs: WorkloadKey) -> Bool {
        (lhs.target ?? "", lhs.modelName, lhs.engine ?? "") < (rhs.target ?? "", rhs.modelName, rhs.engine ?? "")
    }
}

/// One inference server's state in one scrape, in fixed units (`WorkloadMetric.unit`; latencies in seconds).
public struct WorkloadSample: Sendable, Equatable {
    public var key: WorkloadKey
    public var pod: PodReference?
    public var timestampMilliseconds: Int64?
    public var values: MetricValues<WorkloadMetric>
    public var latencies: [LatencyMetric: LatencyHistogram]

    public init(key: WorkloadKey) {
        self.key = key
        self.values = MetricValues()
        self.latencies = [:]
    }

    public subscript(metric: WorkloadMetric) -> Double? {
        get { values[metric] }
        set { values[metric] = newValue }
    }
}
