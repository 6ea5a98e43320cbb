public import AsyncHTTPClient
public import Logging
public import ServiceLifecycle

/// Scrapes exporter endpoints on an interval and hands each outcome to `deliver`: a `Service` for the
/// `ServiceGroup` that runs ModelPlane.
///
/// Per target: a timeout, a body-size limit (the lines within it are still read), a series limit, and jittered
/// exponential backoff after failures. At most `concurrency` targets are in flight at once, so one hanging target
/// costs one slot for one timeout, never the cycle. Each target keeps its own parser, whose string table makes the
/// next scrape of the same exporter allocate little.
public struct Scraper: Service {
    public var targets: [ScrapeTarget]
    public var interval: Duration
    public var concurrency: Int
    public var limits: ScrapeLimits
    public var backoff: Backoff
    private let client: HTTPClient
    private let logger: Logger
    private let deliver: @Sendable ([ScrapeOutcome]) async -> Void

    public init(
        targets: [ScrapeTarget], interval: Duration = .seconds(15), concurrency: Int = 32, limits: ScrapeLimits = .init(), backoff: Backoff = .init(),
        client: HTTPClient = TelemetryHTTPClient.shared, logger: Logger = Logger(label: "modelplane.scraper"),
        deliver: @escaping @Sendable ([ScrapeOutcome]) async -> Void
    ) {
        self.targets = targets
        self.interval = interval
        self.concurrency = max(1, concurrency)
        self.limits = limits
        self.backoff = backoff
        self.client = client
        self.logger = logger
        self.deliver = deliver
    }

    public func run() async throws {
        var parsers: [ScrapeTarget: ExpositionParser] = [:]
        var failures: [ScrapeTarget: Int] = [:]
        var notBefore: [ScrapeTarget: ContinuousClock.Instant] = [:]
        var generator = SystemRandomNumberGenerator()
        let clock = ContinuousClock()
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let cycleStart = clock.now
            let due = targets.filter { notBefore[$0].map { $0 <= cycleStart } ?? true }
            let outcomes = await scrape(due, parsers: &parsers)
            for outcome in outcomes {
                // A body cut at the size limit still delivered its lines; only a scrape that read nothing backs off.
                if outcome.reading == nil {
                    let count = failures[outcome.target, default: 0] + 1
                    failures[outcome.target] = count
                    let delay = backoff.delay(afterFailures: count, unit: Double.random(in: 0..<1, using: &generator))
                    notBefore[outcome.target] = clock.now + delay
                    logger.warning(
                        "scrape failed",
                        metadata: ["target": "\(outcome.target)", "failure": "\(outcome.failure?.description ?? "")", "retry_in": "\(delay)"])
                } else {
                    failures[outcome.target] = nil
                    notBefore[outcome.target] = nil
                }
            }
            await deliver(outcomes)
            let next = cycleStart + interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(until: next, clock: clock) }
        }
    }

    /// Scrapes `targets` once, at most `concurrency` at a time, in the order given.
    public func scrape(_ targets: [ScrapeTarget], parsers: inout [ScrapeTarget: ExpositionParser]) async -> [ScrapeOutcome] {
        let fetcher = BodyFetcher(client: client)
        let limits = self.limits
        var outcomes = [ScrapeOutcome?](repeating: nil, count: targets.count)
        await withTaskGroup(of: (Int, ScrapeOutcome, ExpositionParser).self) { group in
            var next = 0
            func start(_ index: Int, _ parser: ExpositionParser) {
                let target = targets[index]
                group.addTask {
                    var parser = parser
                    let outcome = await Self.scrapeOne(target, fetcher: fetcher, limits: limits, parser: &parser)
                    return (index, outcome, parser)
                }
            }
            while next < min(concurrency, targets.count) {
                start(next, parsers.removeValue(forKey: targets[next]) ?? ExpositionParser())
                next += 1
            }
            while let (index, outcome, parser) = await group.next() {
                outcomes[index] = outcome
                parsers[targets[index]] = parser
                if next < targets.count {
                    start(next, parsers.removeValue(forKey: targets[next]) ?? ExpositionParser())
                    next += 1
                }
            }
        }
        return outcomes.compactMap { $0 }
    }

    /// Scrapes one target once with a fresh parser (the `telemetry inspect` path). `strict` fails on the first
    /// malformed line instead of skipping it.
    public static func scrapeOnce(
        _ target: ScrapeTarget, limits: ScrapeLimits = .init(), strict: Bool = false, client: HTTPClient = TelemetryHTTPClient.shared
    ) async
        -> ScrapeOutcome
    {
        var parser = ExpositionParser(options: .init(strict: strict))
        return await scrapeOne(target, fetcher: BodyFetcher(client: client), limits: limits, parser: &parser)
    }

    /// Fetches, parses and normalizes one target.
    static func scrapeOne(_ target: ScrapeTarget, fetcher: BodyFetcher, limits: ScrapeLimits, parser: inout ExpositionParser) async -> ScrapeOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let startedMilliseconds = wallClockMilliseconds()
        var outcome = ScrapeOutcome(target: target, startedMilliseconds: startedMilliseconds, duration: .zero, bytes: 0, reading: nil, failure: nil)
        defer { outcome.duration = clock.now - start }
        let body: BodyFetcher.Body
        do {
            body = try await fetcher.get(
                target.url, timeout: limits.timeout, maximumBytes: limits.maximumBodyBytes,
                accept: "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1")
        } catch {
            outcome.failure = error
            outcome.duration = clock.now - start
            return outcome
        }
        var bytes = body.bytes
        outcome.bytes = bytes.count
        if body.truncated {
            // Keep every complete line within the limit.
            if let lastNewline = bytes.lastIndex(of: UInt8(ascii: "\n")) { bytes.removeSubrange((lastNewline + 1)...) } else { bytes.removeAll() }
            outcome.failure = .bodyTooLarge(limit: limits.maximumBodyBytes)
        }
        parser.options.format = body.contentType.flatMap(ExpositionFormat.init(contentType:))
        parser.options.maximumSeries = limits.maximumSeries
        let options = TelemetryNormalizer.Options(target: target.name, maximumDevices: limits.maximumDevices)
        do {
            outcome.reading = try ExpositionReading.read(bytes, parser: &parser, options: options)
        } catch {
            outcome.failure = .parse(error.description)
        }
        outcome.duration = clock.now - start
        return outcome
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Milliseconds since the epoch, from the system's real-time clock.
func wallClockMilliseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
}
