import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A progress bar on standard error, drawn only when standard error is a terminal (pipes and tests see nothing)
/// and only once the work has taken a second.
final class ProgressBar: Sendable {
    private let total: Int
    private let label: String
    private let state = Mutex<(done: Int, shown: Bool)>((0, false))
    private let started = ContinuousClock.now
    private let enabled = isatty(2) == 1

    init(total: Int, label: String) {
        self.total = max(total, 1)
        self.label = label
    }

    func advance() {
        let (done, show) = state.withLock { state -> (Int, Bool) in
            state.done += 1
            let show = enabled && ContinuousClock.now - started > .seconds(1)
            if show { state.shown = true }
            return (state.done, show)
        }
        if show { draw(done) }
    }

    func finish() {
        if state.withLock({ $0.shown }) { printError("") }
    }

    private func draw(_ done: Int) {
        let width = 30
        let filled = min(width, done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let text = "\r\(label) [\(bar)] \(done)/\(total)"
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
    }
}
