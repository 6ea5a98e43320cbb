public import Foundation

/// Paths to the shared fixtures beside the repository (`../shared/fixtures`).
public enum Fixtures {
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    public static let shared = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")

    public static func files(in folder: String, suffix: String = "") -> [URL] {
        let directory = shared.appendingPathComponent("fixtures").appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { directory.appendingPathComponent($0) }
    }

    public static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }
}

/// `actual` is within `tolerance` of `expected` (absolute).
public func close(_ actual: Double, _ expected: Double, within tolerance: Double) -> Bool {
    abs(actual - expected) <= tolerance
}
