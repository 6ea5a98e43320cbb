public import AsyncHTTPClient
public import ModelPlaneCore

/// Reads series from an existing Prometheus server through its HTTP API (`/api/v1/query`, `/api/v1/query_range`).
public struct PrometheusClient: Sendable {
    /// `http://host:9090` (a path prefix such as `/prometheus` is kept).
    public var baseURL: String
    public var timeout: Duration
    public var maximumBodyBytes: Int
    private let client: HTTPClient

    public init(baseURL: String, timeout: Duration = .seconds(30), maximumBodyBytes: Int = 256 << 20, client: HTTPClient = TelemetryHTTPClient.shared)
    {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.timeout = timeout
        self.maximumBodyBytes = maximumBodyBytes
        self.client = client
    }

    /// Why a query gave no result.
    public enum QueryError: Error, Sendable, CustomStringConvertible {
        case fetch(ScrapeFailure)
        case response(InputError)

        public var description: String {
            switch self {
            case .fetch(let failure): failure.description
            case .response(let error): error.description
            }
        }
    }

    /// An instant query, at `milliseconds` since the epoch or now.
    public func query(_ promql: String, at milliseconds: Int64? = nil) async throws(QueryError) -> PrometheusQueryResponse {
        var parameters = [("query", promql)]
        if let milliseconds { parameters.append(("time", Self.seconds(milliseconds))) }
        return try await get("/api/v1/query", parameters)
    }

    /// A range query over [start, end] (ms since the epoch) at `stepSeconds`.
    public func queryRange(_ promql: String, start: Int64, end: Int64, stepSeconds: Double) async throws(QueryError) -> PrometheusQueryResponse {
        try await get(
            "/api/v1/query_range", [("query", promql), ("start", Self.seconds(start)), ("end", Self.seconds(end)), ("step", String(stepSeconds))])
    }

    private func get(_ path: String, _ parameters: [(String, String)]) async throws(QueryError) -> PrometheusQueryResponse {
        let query = parameters.map { "\($0)=\(Self.percentEncode($1))" }.joined(separator: "&")
        let url = baseURL + path + "?" + query
        let body: BodyFetcher.Body
        do {
            body = try await BodyFetcher(client: client).get(
                url, timeout: timeout, maximumBytes: maximumBodyBytes, accept: "application/json", anyStatus: true)
        } catch {
            throw .fetch(error)
        }
        if body.truncated { throw .fetch(.bodyTooLarge(limit: maximumBodyBytes)) }
        guard let text = String(validating: body.bytes, as: UTF8.self) else {
            throw .response(InputError(url, "the answer is not valid UTF-8", expected: "a JSON document"))
        }
        do {
            return try PrometheusQueryResponse.parse(text, source: url)
        } catch {
            // Prometheus explains a refused query in a JSON body with status 400/422/503; a proxy answers in HTML.
            if body.status != 200, !text.hasPrefix("{") { throw .fetch(.httpStatus(body.status)) }
            throw .response(error)
        }
    }

    static func seconds(_ milliseconds: Int64) -> String {
        let whole = milliseconds / 1000
        let fraction = abs(milliseconds % 1000)
        let digits = String(fraction)
        return "\(milliseconds < 0 && whole == 0 ? "-" : "")\(whole).\(String(repeating: "0", count: 3 - digits.count))\(digits)"
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func percentEncode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"),
                UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
