public import Logging
public import ServiceLifecycle

/// Polls an existing Prometheus server with one instant query per interval and hands the normalized result to
/// `deliver`: the telemetry source when a fleet already runs Prometheus (no scraping of its own).
public struct PrometheusSource: Service {
    /// Every series ModelPlane maps, from every exporter it knows.
    public static let defaultQuery = #"{__name__=~"DCGM_.*|dcgm_.*|vllm:.*|gpu_.*|amd_.*|pcie_replay_count"}"#

    public var client: PrometheusClient
    public var query: String
    public var interval: Duration
    public var options: TelemetryNormalizer.Options
    private let logger: Logger
    private let deliver: @Sendable (Result<NormalizedScrape, PrometheusClient.QueryError>) async -> Void

    public init(
        client: PrometheusClient, query: String = PrometheusSource.defaultQuery, interval: Duration = .seconds(15),
        options: TelemetryNormalizer.Options = .init(), logger: Logger = Logger(label: "modelplane.prometheus"),
        deliver: @escaping @Sendable (Result<NormalizedScrape, PrometheusClient.QueryError>) async -> Void
    ) {
        self.client = client
        self.query = query
        self.interval = interval
        self.options = options
        self.logger = logger
        self.deliver = deliver
    }

    public func run() async throws {
        let clock = ContinuousClock()
        var failures = 0
        var generator = SystemRandomNumberGenerator()
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let start = clock.now
            var wait = interval
            do {
                let response = try await client.query(query)
                failures = 0
                await deliver(.success(response.normalized(options: options)))
            } catch {
                failures += 1
                let retry = Backoff(base: interval, maximum: interval * 20).delay(
                    afterFailures: failures, unit: Double.random(in: 0..<1, using: &generator))
                wait = max(wait, retry)
                logger.warning("query failed", metadata: ["error": "\(error.description)", "retry_in": "\(wait)"])
                await deliver(.failure(error))
            }
            let next = start + wait
            try? await cancelWhenGracefulShutdown { try await Task.sleep(until: next, clock: clock) }
        }
    }
}
