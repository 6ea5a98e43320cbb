import ModelPlaneCore
import ModelPlaneTelemetry

/// Renders a parse result for `modelplane telemetry inspect`.
enum TelemetryReport {
    static func render(_ result: ParseResult, bytes: Int, seconds: Double, summary: Bool, json: Bool) -> String {
        if json {
            return ConfigValue.object([
                "format": .string(result.format.rawValue), "bytes": .number(Double(bytes)), "samples": .number(Double(result.sampleCount)),
                "families": .array(
                    summary
                        ? []
                        : result.families.map { family in
                            .object([
                                "name": .string(family.name), "type": .string(family.type.rawValue), "help": .optional(family.help),
                                "samples": .number(Double(family.sampleCount)),
                            ])
                        }),
                "skipped": .object(Dictionary(uniqueKeysWithValues: result.skipped.map { ($0.key.rawValue, ConfigValue.number(Double($0.value))) })),
                "issues": .array(result.issues.map { .string($0.description) }),
                "parse_seconds": .number(seconds),
            ]).jsonText()
        }
        var lines: [String] = []
        if !summary {
            var table = TextTable(header: ["family", "type", "samples"], numeric: [2])
            for family in result.families { table.rows.append([family.name, family.type.rawValue, String(family.sampleCount)]) }
            lines.append(table.render())
            lines.append("")
        }
        let rate =
            seconds > 0 ? " in \(Quantity.significant(seconds * 1000, 4)) ms (\(Quantity.significant(Double(bytes) / seconds / 1e6, 4)) MB/s)" : ""
        lines.append(
            "\(result.format.rawValue): \(result.families.count) families, \(result.sampleCount) samples, \(bytes) bytes\(rate); "
                + "\(result.skippedCount) line(s) skipped")
        for issue in result.issues { lines.append("  skipped \(issue.description)") }
        if result.skippedCount > result.issues.count { lines.append("  … and \(result.skippedCount - result.issues.count) more") }
        return lines.joined(separator: "\n")
    }
}
