/// Rolling windows for every device and server of a fleet, fed one normalized scrape at a time.
///
/// Gauges go into the windows as read; counters (energy, token totals) go in as per-second rates with reset
/// handling, so the energy counter's window is a power window and the token counters' are throughput windows.
/// A device that stops reporting goes stale (its `latest` is nil), never zero.
public struct TelemetryWindows: Sendable {
    public private(set) var devices: WindowStore<DeviceKey>
    public private(set) var servers: WindowStore<WorkloadKey>

    public init(staleAfter milliseconds: Int64 = 300_000) {
        devices = WindowStore(staleAfter: milliseconds)
        servers = WindowStore(staleAfter: milliseconds)
    }

    /// Adds one scrape taken at `milliseconds` (a sample's own timestamp, when it has one, wins).
    public mutating func ingest(_ scrape: NormalizedScrape, at milliseconds: Int64) {
        for device in scrape.devices {
            let time = device.timestampMilliseconds ?? milliseconds
            for (metric, value) in device.values.present {
                switch metric.kind {
                case .gauge: devices.record(device.key, field: metric.rawValue, value: value, at: time)
                case .counter: devices.recordCounter(device.key, field: metric.rawValue, value: value, at: time)
                }
            }
        }
        for server in scrape.workloads {
            let time = server.timestampMilliseconds ?? milliseconds
            for (metric, value) in server.values.present {
                switch metric.kind {
                case .gauge: servers.record(server.key, field: metric.rawValue, value: value, at: time)
                case .counter: servers.recordCounter(server.key, field: metric.rawValue, value: value, at: time)
                }
            }
        }
    }

    /// The window summary of one device metric (a counter's is of its per-second rate).
    public func summary(_ key: DeviceKey, _ metric: DeviceMetric, _ window: WindowLength, at now: Int64) -> WindowSummary? {
        devices.summary(key, field: metric.rawValue, window: window, at: now)
    }

    public func summary(_ key: WorkloadKey, _ metric: WorkloadMetric, _ window: WindowLength, at now: Int64) -> WindowSummary? {
        servers.summary(key, field: metric.rawValue, window: window, at: now)
    }

    /// The newest value of a device metric, or nil when the device stopped reporting it (stale is absent, not 0).
    public func latest(_ key: DeviceKey, _ metric: DeviceMetric, at now: Int64) -> Double? {
        devices.latest(key, field: metric.rawValue, at: now)
    }

    /// Drops devices and servers not seen since `milliseconds`; returns how many.
    @discardableResult public mutating func evict(notSeenSince milliseconds: Int64) -> Int {
        devices.evict(notSeenSince: milliseconds) + servers.evict(notSeenSince: milliseconds)
    }

    public var residentBytes: Int { devices.residentBytes + servers.residentBytes }
    public var streamCount: Int { devices.streamCount + servers.streamCount }
}
