import Foundation
public import ModelPlaneCore
import Yams

/// Reads an operator file (YAML or JSON, by extension or content) into a `ConfigValue`.
public enum ConfigFile {
    /// Files larger than this are refused: a catalog or config.json is kilobytes, not gigabytes.
    public static let maximumBytes = 16 * 1_048_576

    /// Reads and parses `path`; every failure names the file.
    public static func read(_ path: String) throws(InputError) -> ConfigValue {
        let text = try readText(path)
        let trimmed = text.drop(while: { $0.isWhitespace })
        if path.lowercased().hasSuffix(".json") || trimmed.first == "{" || trimmed.first == "[" {
            return try JSONReader.parse(text, source: path)
        }
        return try parseYAML(text, source: path)
    }

    /// Reads a UTF-8 text file, refusing missing, unreadable, oversized or non-UTF-8 files.
    public static func readText(_ path: String) throws(InputError) -> String {
        let url = URL(fileURLWithPath: path)
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let attributes else { throw InputError(path, "no such file") }
        if let size = attributes[.size] as? Int, size > maximumBytes {
            throw InputError(path, "file is \(size) bytes", expected: "at most \(maximumBytes) bytes")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw InputError(path, "cannot be read (\(error.localizedDescription))") }
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(path, "is not UTF-8 text") }
        return text
    }

    /// Parses YAML text into a `ConfigValue`.
    public static func parseYAML(_ text: String, source: String) throws(InputError) -> ConfigValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw InputError(source, "not valid YAML (\(describe(error)))")
        } catch {
            throw InputError(source, "not valid YAML (\(error))")
        }
        guard let node else { return .null }
        return convert(node)
    }

    static func describe(_ error: YamlError) -> String {
        String(describing: error).split(separator: "\n").first.map(String.init) ?? "syntax error"
    }

    static func convert(_ node: Node) -> ConfigValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if let flag = Bool.construct(from: scalar) { return .bool(flag) }
                if let number = Int.construct(from: scalar) { return .number(Double(number)) }
                if let number = Double.construct(from: scalar) { return .number(number) }
                if NSNull.construct(from: scalar) != nil { return .null }
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            return .array(sequence.map(convert))
        case .mapping(let mapping):
            var fields: [String: ConfigValue] = [:]
            for (key, value) in mapping { fields[key.string ?? String(describing: key)] = convert(value) }
            return .object(fields)
        case .alias:
            return .null
        }
    }
}
