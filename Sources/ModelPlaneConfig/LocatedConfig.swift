public import ModelPlaneCore
import Yams

/// A parsed operator file together with the line each value starts on, so that an error found later, while the
/// value is interpreted, can name the file, the line and the field (`fleet.yaml:14: pools[0].gpu: …`).
public struct LocatedConfig: Sendable {
    public let file: String
    public let value: ConfigValue
    /// Line (1-based) of each field, keyed by its path as `ConfigCursor` writes it without the file
    /// (`pools[0].gpu`).
    public let lines: [String: Int]

    /// The root cursor; its paths start with `FILE:`.
    public var root: ConfigCursor { ConfigCursor(value, path: "\(file):") }

    /// Reads a YAML or JSON file (JSON is YAML, so both get line numbers).
    public static func read(_ path: String) throws(InputError) -> LocatedConfig {
        let text = try ConfigFile.readText(path)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw InputError(path, "not valid YAML (\(ConfigFile.describe(error)))")
        } catch {
            throw InputError(path, "not valid YAML (\(error))")
        }
        var lines: [String: Int] = [:]
        if let node { collect(node, path: "", into: &lines) }
        return LocatedConfig(file: path, value: node.map(ConfigFile.convert) ?? .null, lines: lines)
    }

    static func collect(_ node: Node, path: String, into lines: inout [String: Int]) {
        if let mark = node.mark, !path.isEmpty { lines[path] = mark.line }
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                let name = key.string ?? String(describing: key)
                let child = path.isEmpty ? name : "\(path).\(name)"
                collect(value, path: child, into: &lines)
                // Point at the key's line: a block value starts on the next line.
                if let mark = key.mark { lines[child] = mark.line }
            }
        case .sequence(let sequence):
            for (index, value) in sequence.enumerated() { collect(value, path: "\(path)[\(index)]", into: &lines) }
        default: break
        }
    }

    /// The error with `file:line:` in front of its field, using the deepest known line of its path.
    public func locate(_ error: InputError) -> InputError {
        var location = error.location
        if location.hasPrefix("\(file):") { location = String(location.dropFirst(file.count + 1)).trimmingCharacters(in: " ") }
        var key = location
        while !key.isEmpty {
            if let line = lines[key] { return InputError("\(file):\(line): \(location)", error.problem, expected: error.expected) }
            guard let cut = key.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            key = String(key[..<cut])
        }
        return InputError(location.isEmpty ? file : "\(file): \(location)", error.problem, expected: error.expected)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var view = Substring(self)
        while let first = view.first, set.contains(first) { view.removeFirst() }
        while let last = view.last, set.contains(last) { view.removeLast() }
        return String(view)
    }
}
