import Testing

@testable import ModelPlaneTwin

@Suite("Twin engine")
struct EngineTests {
    @Test("events come out by time, and by scheduling order at the same time")
    func order() {
        var queue = EventQueue<String>()
        var generator = SeededGenerator(seed: 1)
        var expected: [(Int64, UInt64, String)] = []
        for index in 0..<2_000 {
            let time = Int64(generator.next() % 50)
            queue.schedule("e\(index)", at: time)
            expected.append((time, UInt64(index), "e\(index)"))
        }
        expected.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var popped: [String] = []
        while let entry = queue.pop() { popped.append(entry.event) }
        #expect(popped == expected.map(\.2))
        #expect(queue.isEmpty && queue.nextTime == nil)
    }

    @Test("the same seed gives the same sequence; different seeds and forks differ")
    func generator() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        #expect(first != (0..<100).map { _ in c.next() })
        var fork = a.fork()
        #expect(fork.next() != a.next())
        // Known first outputs pin the algorithm (xoshiro256** after SplitMix64 seeding), so a change is noticed.
        var pinned = SeededGenerator(seed: 0)
        #expect(pinned.next() == 0x99EC_5F36_CB75_F2B4)
    }

    @Test("nextUnit is in [0, 1) with mean ½")
    func unit() {
        var generator = SeededGenerator(seed: 7)
        let values = (0..<100_000).map { _ in generator.nextUnit() }
        #expect(values.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(values.reduce(0, +) / Double(values.count) - 0.5) < 0.005)
    }
}
