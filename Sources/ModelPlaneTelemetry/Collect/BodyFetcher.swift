public import AsyncHTTPClient
internal import NIOCore

/// Fetches one HTTP body with a deadline and a size limit, for the scraper and the PromQL client.
struct BodyFetcher: Sendable {
    let client: HTTPClient

    struct Body: Sendable {
        var bytes: [UInt8]
        var status: Int
        var contentType: String?
        /// True when the body passed the limit and was cut.
        var truncated: Bool
    }

    /// GETs `url`. A body over `maximumBytes` is cut at the limit (and `truncated` set) rather than refused.
    /// Any status other than 200 is a failure unless `anyStatus` (the Prometheus API explains errors in the body).
    func get(_ url: String, timeout: Duration, maximumBytes: Int, accept: String, anyStatus: Bool = false) async throws(ScrapeFailure) -> Body {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: accept)
        request.headers.add(name: "User-Agent", value: "ModelPlane")
        let (seconds, attoseconds) = timeout.components
        let deadline = NIODeadline.now() + .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        do {
            let response = try await client.execute(request, deadline: deadline)
            guard anyStatus || response.status.code == 200 else { throw ScrapeFailure.httpStatus(Int(response.status.code)) }
            var bytes: [UInt8] = []
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length <= maximumBytes {
                bytes.reserveCapacity(length)
            }
            var truncated = false
            for try await chunk in response.body {
                let room = maximumBytes - bytes.count
                if chunk.readableBytes > room {
                    bytes.append(contentsOf: chunk.readableBytesView.prefix(room))
                    truncated = true
                    break
                }
                bytes.append(contentsOf: chunk.readableBytesView)
            }
            return Body(
                bytes: bytes, status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"), truncated: truncated)
        } catch let failure as ScrapeFailure {
            throw failure
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw .timeout(timeout)
        } catch {
            // A refused connection is retried until the connect timeout (or the deadline, if sooner) and then reported as
            // itself: say so, not "timeout".
            if error is HTTPClientError, NIODeadline.now() >= deadline { throw .timeout(timeout) }
            throw .connection(String(describing: error))
        }
    }
}

/// The HTTP client telemetry uses by default. Compressed answers are expanded without AsyncHTTPClient's default
/// ratio limit (10×), which a repetitive Prometheus answer exceeds; `BodyFetcher` caps the expanded size instead.
/// Connecting is bounded at 2 s, so a refused target fails fast instead of at the scrape's deadline.
public enum TelemetryHTTPClient {
    public static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.decompression = .enabled(limit: .none)
        // AsyncHTTPClient retries a refused connection until the connect timeout (swift-server/async-http-client#743);
        // without one a down exporter cost the whole scrape timeout. Two seconds is ample for a TCP connect in a fleet.
        configuration.timeout.connect = .seconds(2)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
}
