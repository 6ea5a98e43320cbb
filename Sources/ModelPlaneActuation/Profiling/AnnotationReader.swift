import ModelPlaneCore

/// Reads a pod's `modelplane.io/…` annotations one by one, collecting every error instead of stopping at the first.
struct AnnotationReader {
    let annotations: [String: String]
    /// `pod ns/name`.
    let pod: String
    private(set) var errors: [InputError] = []

    init(annotations: [String: String], pod: String) {
        self.annotations = annotations
        self.pod = pod
    }

    func location(_ annotation: PodAnnotation) -> String { "\(pod): annotation \(annotation.rawValue)" }

    func has(_ annotation: PodAnnotation) -> Bool { annotations[annotation.rawValue] != nil }

    /// The annotation parsed by `parse(text, location)`; nil when absent or bad (the error is kept).
    mutating func read<T>(_ annotation: PodAnnotation, _ parse: (String, String) throws(InputError) -> T) -> T? {
        guard let text = annotations[annotation.rawValue] else { return nil }
        let at = location(annotation)
        return attempt { () throws(InputError) in try parse(text, at) }
    }

    /// `body`'s result, or nil with its error kept.
    mutating func attempt<T>(_ body: () throws(InputError) -> T) -> T? {
        do {
            return try body()
        } catch {
            errors.append(error)
            return nil
        }
    }

    mutating func fail(_ error: InputError) { errors.append(error) }

    mutating func fail(contentsOf more: [InputError]) { errors.append(contentsOf: more) }

    /// Annotations under `modelplane.io/` that ModelPlane does not define: each an error with the closest names.
    mutating func checkUnknownKeys() {
        let known = PodAnnotation.allCases.map(\.rawValue)
        for key in annotations.keys.sorted() where key.hasPrefix(PodAnnotation.prefix) && !known.contains(key) {
            let close = ClosestNames.near(key, in: known)
            errors.append(
                InputError(
                    "\(pod): annotation \(key)", "is not a ModelPlane annotation",
                    expected: close.isEmpty ? "one of docs/placement-annotations.md" : "one of the closest: \(close.joined(separator: ", "))"))
        }
    }
}
