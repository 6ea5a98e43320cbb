import ModelPlaneCore
import ModelPlaneTelemetry

/// Renders what `modelplane telemetry inspect` read: normalized devices and servers, then what was skipped.
enum TelemetryReport {
    struct Input {
        var source: String
        var bytes: Int
        var seconds: Double
        var parse: ParseResult?
        var prometheus: PrometheusQueryResponse?
        var normalized: NormalizedScrape
        var failure: ScrapeFailure?

        init(source: String, bytes: Int, seconds: Double, reading: ExpositionReading, failure: ScrapeFailure? = nil) {
            self.source = source
            self.bytes = bytes
            self.seconds = seconds
            self.parse = reading.parse
            self.normalized = reading.normalized
            self.failure = failure
        }

        init(source: String, bytes: Int, seconds: Double, prometheus: PrometheusQueryResponse) {
            self.source = source
            self.bytes = bytes
            self.seconds = seconds
            self.prometheus = prometheus
            self.normalized = prometheus.normalized()
        }

        var formatName: String { parse?.format.rawValue ?? "prometheus-api \(prometheus?.resultType.rawValue ?? "")" }
        var sampleCount: Int { parse?.sampleCount ?? prometheus?.series.count ?? 0 }
    }

    static func render(_ input: Input, summary: Bool, families: Bool, json: Bool) -> String {
        json ? renderJSON(input, summary: summary, families: families) : renderText(input, summary: summary, families: families)
    }

    // MARK: text

    private static func renderText(_ input: Input, summary: Bool, families: Bool) -> String {
        var sections: [String] = []
        let scrape = input.normalized
        if !summary {
            if families, let parse = input.parse {
                var table = TextTable(header: ["family", "type", "samples"], numeric: [2])
                for family in parse.families { table.rows.append([family.name, family.type.rawValue, String(family.sampleCount)]) }
                sections.append(table.render())
            }
            if !scrape.devices.isEmpty { sections.append(deviceTables(scrape.devices)) }
            for server in scrape.workloads { sections.append(workloadBlock(server)) }
        }
        var lines: [String] = []
        let rate =
            input.seconds > 0
            ? " in \(Quantity.significant(input.seconds * 1000, 4)) ms (\(Quantity.significant(Double(input.bytes) / input.seconds / 1e6, 4)) MB/s)"
            : ""
        lines.append(
            "\(input.source): \(input.formatName), \(input.bytes) bytes, \(input.sampleCount) samples\(rate) → \(scrape.devices.count) device(s), "
                + "\(scrape.workloads.count) server(s); \(scrape.unmappedSamples) sample(s) of series ModelPlane does not map")
        if let failure = input.failure { lines.append("  scrape incomplete: \(failure.description)") }
        if let parse = input.parse {
            lines.append("  \(parse.skippedCount) line(s) skipped" + counts(parse.skipped.map { ($0.key.rawValue, $0.value) }))
            if !summary {
                for issue in parse.issues { lines.append("  skipped \(issue.description)") }
                if parse.skippedCount > parse.issues.count { lines.append("  … and \(parse.skippedCount - parse.issues.count) more") }
            }
        }
        if let warnings = input.prometheus?.warnings { for warning in warnings { lines.append("  Prometheus warning: \(warning)") } }
        lines.append("  \(scrape.problemCount) value(s) refused" + counts(scrape.problems.map { ($0.key.rawValue, $0.value) }))
        if !summary {
            for issue in scrape.issues { lines.append("  refused \(issue.description)") }
            if scrape.problemCount > scrape.issues.count { lines.append("  … and \(scrape.problemCount - scrape.issues.count) more") }
        }
        sections.append(lines.joined(separator: "\n"))
        return sections.joined(separator: "\n\n")
    }

    /// ` (3 × NaN value, 1 × no-data sentinel)`, or nothing when there are none.
    private static func counts(_ pairs: [(String, Int)]) -> String {
        guard !pairs.isEmpty else { return "" }
        return " (" + pairs.sorted { $0.0 < $1.0 }.map { "\($0.1) × \($0.0)" }.joined(separator: ", ") + ")"
    }

    /// Metrics down, devices across (eight per table), identity rows first.
    private static func deviceTables(_ devices: [DeviceSample]) -> String {
        var tables: [String] = []
        var start = 0
        while start < devices.count {
            let group = Array(devices[start..<min(start + 8, devices.count)])
            start += 8
            // One node for the whole group (the usual case: one exporter per node) is said once, above the table.
            let nodes = Set(group.map { $0.key.node ?? "-" })
            let headers = group.map { device in
                (nodes.count == 1 ? "" : (device.key.node ?? "-") + "/")
                    + (device.key.gpuIndex.map { "gpu\($0)" } ?? String((device.key.uuid ?? "?").prefix(8)))
                    + (device.key.instance.map { "/gi\($0)" } ?? "")
            }
            var table = TextTable(header: ["", "unit"] + headers, numeric: Set(2..<(2 + group.count)))
            table.rows.append(["model", ""] + group.map { $0.modelName ?? "-" })
            table.rows.append(["uuid", ""] + group.map { $0.uuid.map { String($0.prefix(13)) + "…" } ?? "-" })
            if group.contains(where: { $0.partitionProfile != nil }) {
                table.rows.append(["partition", ""] + group.map { $0.partitionProfile ?? "-" })
            }
            table.rows.append(["pod", ""] + group.map { $0.pod?.description ?? "-" })
            for metric in DeviceMetric.allCases where group.contains(where: { $0[metric] != nil }) {
                table.rows.append([metric.description, metric.unit.rawValue] + group.map { $0[metric].map(format) ?? "absent" })
            }
            if group.contains(where: { $0.xidMessage != nil }) { table.rows.append(["xid_message", ""] + group.map { $0.xidMessage ?? "-" }) }
            tables.append((nodes.count == 1 ? "node \(nodes.first!)\n" : "") + table.render())
        }
        return tables.joined(separator: "\n\n")
    }

    private static func workloadBlock(_ server: WorkloadSample) -> String {
        var block = KeyValueBlock()
        block.add("server", server.key.description)
        if let pod = server.pod { block.add("pod", pod.description) }
        for (metric, value) in server.values.present { block.add(metric.description, "\(format(value)) \(metric.unit.rawValue)") }
        for metric in LatencyMetric.allCases {
            guard let histogram = server.latencies[metric] else { continue }
            let quantiles = [0.5, 0.95].map { q in histogram.quantile(q).map { "p\(Int(q * 100)) \(format($0)) s" } ?? "p\(Int(q * 100)) -" }
            block.add(
                metric.description,
                "count \(format(histogram.count ?? 0)), mean \(histogram.mean.map { format($0) + " s" } ?? "-"), " + quantiles.joined(separator: ", ")
                    + " (\(histogram.buckets.count) buckets)")
        }
        return block.render()
    }

    private static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)  // the shortest text that reads back as the same double: 319159.391, 0.99563
    }

    // MARK: JSON

    private static func renderJSON(_ input: Input, summary: Bool, families: Bool) -> String {
        let scrape = input.normalized
        var fields: [String: ConfigValue] = [
            "source": .string(input.source), "format": .string(input.formatName), "bytes": .number(Double(input.bytes)),
            "samples": .number(Double(input.sampleCount)), "read_seconds": .number(input.seconds),
            "unmapped_samples": .number(Double(scrape.unmappedSamples)),
            "refused": .object(Dictionary(uniqueKeysWithValues: scrape.problems.map { ($0.key.rawValue, ConfigValue.number(Double($0.value))) })),
            "refused_issues": .array(scrape.issues.map { .string($0.description) }),
            "scrape_failure": .optional(input.failure?.description),
        ]
        if let parse = input.parse {
            fields["skipped"] = .object(
                Dictionary(uniqueKeysWithValues: parse.skipped.map { ($0.key.rawValue, ConfigValue.number(Double($0.value))) }))
            fields["skipped_issues"] = .array(parse.issues.map { .string($0.description) })
            if families {
                fields["families"] = .array(
                    parse.families.map { family in
                        .object([
                            "name": .string(family.name), "type": .string(family.type.rawValue), "help": .optional(family.help),
                            "samples": .number(Double(family.sampleCount)),
                        ])
                    })
            }
        }
        if !summary {
            fields["devices"] = .array(scrape.devices.map(deviceJSON))
            fields["servers"] = .array(scrape.workloads.map(workloadJSON))
        } else {
            fields["device_count"] = .number(Double(scrape.devices.count))
            fields["server_count"] = .number(Double(scrape.workloads.count))
        }
        return ConfigValue.object(fields).jsonText()
    }

    private static func podJSON(_ pod: PodReference?) -> ConfigValue {
        guard let pod else { return .null }
        return .object([
            "namespace": .optional(pod.namespace), "pod": .string(pod.pod), "container": .optional(pod.container), "uid": .optional(pod.uid),
        ])
    }

    private static func deviceJSON(_ device: DeviceSample) -> ConfigValue {
        .object([
            "node": .optional(device.key.node), "gpu": .optional(device.key.gpuIndex), "instance": .optional(device.key.instance),
            "uuid": .optional(device.uuid), "vendor": .string(device.vendor.rawValue), "model": .optional(device.modelName),
            "pci_bus_id": .optional(device.pciBusID), "driver_version": .optional(device.driverVersion),
            "serial_number": .optional(device.serialNumber),
            "partition": .optional(device.partitionProfile), "pod": podJSON(device.pod), "xid_message": .optional(device.xidMessage),
            "timestamp_ms": device.timestampMilliseconds.map { .number(Double($0)) } ?? .null,
            "metrics": .object(Dictionary(uniqueKeysWithValues: device.values.present.map { ($0.metric.description, ConfigValue.number($0.value)) })),
        ])
    }

    private static func workloadJSON(_ server: WorkloadSample) -> ConfigValue {
        var latencies: [String: ConfigValue] = [:]
        for (metric, histogram) in server.latencies {
            latencies[metric.description] = .object([
                "count": .optional(histogram.count), "sum": .optional(histogram.sum), "p50": .optional(histogram.quantile(0.5)),
                "p95": .optional(histogram.quantile(0.95)),
                "buckets": .array(
                    histogram.buckets.map { .array([.string($0.upperBound == .infinity ? "+Inf" : String($0.upperBound)), .number($0.count)]) }),
            ])
        }
        return .object([
            "target": .optional(server.key.target), "model": .string(server.key.modelName), "engine": .optional(server.key.engine),
            "pod": podJSON(server.pod), "timestamp_ms": server.timestampMilliseconds.map { .number(Double($0)) } ?? .null,
            "metrics": .object(Dictionary(uniqueKeysWithValues: server.values.present.map { ($0.metric.description, ConfigValue.number($0.value)) })),
            "latencies": .object(latencies),
        ])
    }
}
