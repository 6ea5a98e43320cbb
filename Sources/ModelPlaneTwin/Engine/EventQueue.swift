/// Pending events of a discrete-event simulation, earliest first: ordered by (time, sequence), the sequence being
/// the order of scheduling, so events at the same instant run in the order they were scheduled and a run is
/// reproducible to the byte.
public struct EventQueue<Event>: Sendable where Event: Sendable {
    public struct Entry: Sendable {
        public let time: Int64
        public let sequence: UInt64
        public let event: Event

        func precedes(_ other: Entry) -> Bool {
            time != other.time ? time < other.time : sequence < other.sequence
        }
    }

    private var heap: [Entry] = []
    private var nextSequence: UInt64 = 0

    public init() {}

    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }
    /// The time of the earliest pending event.
    public var nextTime: Int64? { heap.first?.time }

    /// Schedules `event` at `time` (any order of calls; ties keep the order of scheduling).
    public mutating func schedule(_ event: Event, at time: Int64) {
        heap.append(Entry(time: time, sequence: nextSequence, event: event))
        nextSequence += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest event.
    public mutating func pop() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            var smallest = left
            if left + 1 < heap.count, heap[left + 1].precedes(heap[left]) { smallest = left + 1 }
            guard heap[smallest].precedes(heap[parent]) else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
