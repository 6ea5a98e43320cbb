public import ModelPlaneCore

/// Why a pod could not be profiled: every problem found, each naming the annotation, resource or field at fault.
public struct PodProfilingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `namespace/name` of the pod.
    public var pod: String
    public var errors: [InputError]

    public init(pod: String, errors: [InputError]) {
        self.pod = pod
        self.errors = errors
    }

    /// One line per problem.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
