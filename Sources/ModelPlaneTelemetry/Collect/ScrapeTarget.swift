/// One exporter endpoint to scrape.
public struct ScrapeTarget: Sendable, Hashable, CustomStringConvertible {
    /// How the target is named in results and logs (defaults to the URL's host and port).
    public var name: String
    /// `http://host:port/metrics`.
    public var url: String

    public init(name: String? = nil, url: String) {
        self.url = url
        self.name = name ?? ScrapeTarget.hostAndPort(url)
    }

    public var description: String { name }

    static func hostAndPort(_ url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        return String(rest.prefix { $0 != "/" })
    }
}

/// What one scrape may cost: time, bytes and series.
public struct ScrapeLimits: Sendable {
    /// The whole request, headers and body.
    public var timeout: Duration
    /// A larger body is cut at the last complete line within the limit; the lines kept are still read.
    public var maximumBodyBytes: Int
    /// Distinct series read from one target (the parser's limit); the rest are counted as `seriesLimit`.
    public var maximumSeries: Int
    /// Devices and servers normalized from one target.
    public var maximumDevices: Int

    public init(timeout: Duration = .seconds(10), maximumBodyBytes: Int = 64 << 20, maximumSeries: Int = 200_000, maximumDevices: Int = 4_096) {
        self.timeout = timeout
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumSeries = maximumSeries
        self.maximumDevices = maximumDevices
    }
}

/// Why a scrape did not deliver a complete body.
public enum ScrapeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// No complete answer within the timeout.
    case timeout(Duration)
    /// The body passed the limit; the lines before it were kept.
    case bodyTooLarge(limit: Int)
    case httpStatus(Int)
    case connection(String)
    /// Strict parsing refused the body.
    case parse(String)

    /// A stable name for counting.
    public var name: String {
        switch self {
        case .timeout: "timeout"
        case .bodyTooLarge: "body_too_large"
        case .httpStatus: "http_status"
        case .connection: "connection"
        case .parse: "parse"
        }
    }

    public var description: String {
        switch self {
        case .timeout(let limit): "no complete answer within \(limit)"
        case .bodyTooLarge(let limit): "body larger than \(limit) bytes; read up to the last complete line within the limit"
        case .httpStatus(let status): "HTTP status \(status), expected 200"
        case .connection(let detail): "connection failed: \(detail)"
        case .parse(let detail): "unreadable body: \(detail)"
        }
    }
}

/// The result of scraping one target once.
public struct ScrapeOutcome: Sendable {
    public var target: ScrapeTarget
    /// When the scrape started, in ms since the epoch.
    public var startedMilliseconds: Int64
    public var duration: Duration
    public var bytes: Int
    /// What was read: nil only when nothing could be (no connection, timeout, error status).
    public var reading: ExpositionReading?
    /// Why the scrape was incomplete, when it was.
    public var failure: ScrapeFailure?
}
