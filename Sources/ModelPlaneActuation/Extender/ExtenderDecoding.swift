public import ModelPlaneCore

/// Limits on an extender request or response body.
public struct ExtenderDecodingOptions: Sendable, Equatable {
    /// Bodies larger than this are refused before parsing. 8 MiB holds the NodeList of a few thousand nodes.
    public var maxBodyBytes: Int

    public static let defaultMaxBodyBytes = 8 * 1_048_576

    public init(maxBodyBytes: Int = ExtenderDecodingOptions.defaultMaxBodyBytes) {
        self.maxBodyBytes = maxBodyBytes
    }
}

/// A body of the kube-scheduler extender protocol (`k8s.io/kube-scheduler/extender/v1`), read and written as Go's
/// `encoding/json` does for those types: the Go field names as keys (they carry no `json` tags), matched
/// case-insensitively when reading, written in declaration order with nil pointers, slices and maps as `null`.
public protocol ExtenderMessage: Sendable {
    /// The Go type name, which is also the root of every error path (`ExtenderArgs.Pod`).
    static var goTypeName: String { get }
    /// Reads a body; any problem is an `InputError` naming the field path.
    static func decode(_ text: String, options: ExtenderDecodingOptions) throws(InputError) -> Self
    /// The body as Go writes it (no trailing newline).
    func jsonText() -> String
}

extension ExtenderMessage {
    public static func decode(_ text: String) throws(InputError) -> Self { try decode(text, options: ExtenderDecodingOptions()) }

    /// Reads a body from raw bytes, refusing an oversized body before decoding it.
    public static func decode(bytes: [UInt8], options: ExtenderDecodingOptions = ExtenderDecodingOptions()) throws(InputError) -> Self {
        try checkSize(bytes.count, options)
        return try decode(String(decoding: bytes, as: UTF8.self), options: options)
    }

    static func checkSize(_ count: Int, _ options: ExtenderDecodingOptions) throws(InputError) {
        guard count <= options.maxBodyBytes else {
            throw InputError("\(goTypeName) body", "is \(count) bytes", expected: "at most \(options.maxBodyBytes) bytes")
        }
    }

    /// The body's root, after the size check and a JSON syntax check (errors give line and column).
    static func root(_ text: String, _ options: ExtenderDecodingOptions) throws(InputError) -> JSONNode {
        try checkSize(text.utf8.count, options)
        return try JSONNode.parse(text, source: goTypeName)
    }

    /// The root read as the Go struct `goTypeName`.
    static func rootFields(_ text: String, _ options: ExtenderDecodingOptions) throws(InputError) -> GoFields {
        try root(text, options).goFields(goTypeName)
    }
}
