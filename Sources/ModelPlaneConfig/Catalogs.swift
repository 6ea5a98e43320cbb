import Foundation
public import ModelPlaneCore

/// The catalogs a command works with: built-in, plus an operator file's overrides.
public enum Catalogs {
    /// The hardware catalog, with the overrides in `path` (YAML or JSON) applied when given.
    public static func hardware(overrides path: String?) throws(InputError) -> HardwareCatalog {
        guard let path else { return .builtin }
        return try HardwareCatalog.builtin.applying(try ConfigFile.read(path), source: path)
    }

    /// A model by catalog name, or from a Hugging Face `config.json` file (or a directory holding one).
    public static func model(_ nameOrPath: String, catalog: ModelCatalog = .builtin) throws(InputError) -> ModelSpec {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDirectory) {
            let path = isDirectory.boolValue ? (nameOrPath as NSString).appendingPathComponent("config.json") : nameOrPath
            return try HuggingFaceConfig.spec(from: try ConfigFile.read(path), source: path, name: path)
        }
        if nameOrPath.hasSuffix(".json") { throw InputError(nameOrPath, "no such file") }
        return try catalog.resolve(nameOrPath)
    }
}
