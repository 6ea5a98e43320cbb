/// Writes metric families in Prometheus text 0.0.4 or OpenMetrics 1.0, so that what ModelPlane (and the twin)
/// serves parses back to the same samples.
public enum ExpositionWriter {
    public static func write(_ families: [MetricFamily], format: ExpositionFormat = .prometheus) -> String {
        var out = ""
        out.reserveCapacity(families.reduce(0) { $0 + $1.samples.count } * 96)
        for family in families {
            if let help = family.help { out += "# HELP \(family.name) \(escapeHelp(help))\n" }
            var type = family.type
            if format == .prometheus, [.unknown, .info, .stateset, .gaugehistogram].contains(type) { type = .untyped }
            if format == .openMetrics, type == .untyped { type = .unknown }
            out += "# TYPE \(family.name) \(type.rawValue)\n"
            if format == .openMetrics, let unit = family.unit { out += "# UNIT \(family.name) \(unit)\n" }
            for sample in family.samples { writeSample(sample, format: format, into: &out) }
        }
        if format == .openMetrics { out += "# EOF\n" }
        return out
    }

    static func writeSample(_ sample: Sample, format: ExpositionFormat, into out: inout String) {
        out += sample.name
        writeLabels(sample.labels, into: &out)
        out += " "
        out += formatValue(sample.value)
        if let timestamp = sample.timestampMilliseconds {
            out += " "
            out += format == .openMetrics ? formatValue(Double(timestamp) / 1000) : String(timestamp)
        }
        if format == .openMetrics, let exemplar = sample.exemplar {
            out += " # "
            writeLabels(exemplar.labels, into: &out, always: true)
            out += " " + formatValue(exemplar.value)
            if let timestamp = exemplar.timestamp { out += " " + formatValue(timestamp) }
        }
        out += "\n"
    }

    static func writeLabels(_ labels: [Label], into out: inout String, always: Bool = false) {
        guard !labels.isEmpty || always else { return }
        out += "{"
        for (position, label) in labels.enumerated() {
            if position > 0 { out += "," }
            out += label.name
            out += "=\""
            escapeLabelValue(label.value, into: &out)
            out += "\""
        }
        out += "}"
    }

    /// Shortest text that parses back to the same double; integers without a fraction.
    public static func formatValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(describing: value)
    }

    static func escapeLabelValue(_ value: String, into out: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
    }

    static func escapeHelp(_ help: String) -> String {
        var out = ""
        for scalar in help.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
