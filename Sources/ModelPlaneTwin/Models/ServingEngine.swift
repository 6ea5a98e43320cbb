import Foundation

/// A vLLM-like serving engine at step granularity: a FIFO of waiting requests, a running batch limited by
/// `max_num_seqs` and the KV cache, prefill before decode, recompute preemption when the cache overflows.
///
/// Requests are counted, not tracked one by one: each step admits whole cohorts from the queue (their time to first
/// token is the queueing delay plus the prefill), decodes the running batch for the rest of the step at the
/// roofline step time, and completes requests at the mean rate `running · iterations ÷ output tokens`. The running
/// batch holds on average `prompt + output/2` tokens per request in the KV cache; newly admitted requests hold only
/// their prompt, so admission is optimistic as vLLM's is, and the overflow of the next step preempts.
public struct ServingEngine: Sendable {
    /// Requests that arrived together: `count` of them spread evenly over `span` seconds from `arrivedAt`.
    public struct Cohort: Sendable, Equatable {
        public var count: Int
        public var arrivedAt: Double
        public var span: Double
    }

    /// What one step did, for the workload's totals.
    public struct StepResult: Sendable, Equatable {
        public var arrived = 0
        public var admitted = 0
        public var completed = 0
        public var preempted = 0
        /// Requests that waited longer than the timeout and were given up (clients disconnect; vLLM's `abort`).
        public var aborted = 0
        public var promptTokens = 0.0
        public var generatedTokens = 0.0
        /// Seconds of the step the engine computed (prefill plus decode iterations).
        public var busySeconds = 0.0
        public var memoryBound = false
        public var slaViolations = 0
    }

    public let promptTokens: Int
    public let outputTokens: Int
    public let maxRunning: Int
    /// Tokens the KV cache holds over the workload's devices.
    public let kvCapacityTokens: Double
    /// Fraction of the cache kept free when admitting.
    public let watermark: Double
    /// Seconds a request waits in the queue before its client gives up.
    public let timeoutSeconds: Double

    public private(set) var waiting: [Cohort] = []
    public private(set) var waitingCount = 0
    public private(set) var running = 0
    public private(set) var kvUsage = 0.0
    public private(set) var ttft = ServingHistogram(bounds: ServingHistogram.timeToFirstToken)
    public private(set) var itl = ServingHistogram(bounds: ServingHistogram.interTokenLatency)
    public private(set) var e2e = ServingHistogram(bounds: ServingHistogram.endToEnd)
    public private(set) var promptTokensTotal = 0.0
    public private(set) var generationTokensTotal = 0.0
    public private(set) var preemptionsTotal = 0
    public private(set) var succeededTotal = 0
    public private(set) var abortedTotal = 0
    private var completionCarry = 0.0
    private var recentTTFT = 0.0

    public init(
        promptTokens: Int, outputTokens: Int, maxRunning: Int, kvCapacityTokens: Double, watermark: Double = 0.01, timeoutSeconds: Double = 600
    ) {
        self.timeoutSeconds = max(0, timeoutSeconds)
        self.watermark = min(max(watermark, 0), 1)
        self.promptTokens = max(1, promptTokens)
        self.outputTokens = max(1, outputTokens)
        self.maxRunning = max(1, maxRunning)
        self.kvCapacityTokens = max(0, kvCapacityTokens)
    }

    /// Mean KV tokens of a request in the running batch.
    public var meanContextTokens: Double { Double(promptTokens) + Double(outputTokens) / 2 }

    /// Advances the engine over [now, now + seconds) with `arrivals` new requests. `timing(running)` gives the decode
    /// step and per-token prefill time for a batch size; `sla` counts requests over their targets.
    public mutating func step(
        now: Double, seconds: Double, arrivals: Int, serving: Bool, sla: ServiceLevel, timing: (Int) -> InferenceTiming
    ) -> StepResult {
        var result = StepResult()
        result.arrived = arrivals
        // Clients whose requests waited past the timeout have gone.
        while let head = waiting.first, head.arrivedAt + head.span < now - timeoutSeconds {
            result.aborted += head.count
            waitingCount -= head.count
            waiting.removeFirst()
        }
        abortedTotal += result.aborted
        if sla.timeToFirstTokenSeconds != nil { result.slaViolations += result.aborted }
        if arrivals > 0 {
            waiting.append(Cohort(count: arrivals, arrivedAt: now, span: seconds))
            waitingCount += arrivals
        }
        guard serving, seconds > 0 else {
            updateUsage()
            return result
        }
        let context = meanContextTokens
        let usable = kvCapacityTokens * (1 - watermark)
        var budget = seconds
        let prefillSeconds = Double(promptTokens) * timing(max(running, 1)).prefillSecondsPerToken
        // Rounds: admit from the queue, then decode for a slice of the step. One round covers the step when nothing
        // waits; under a backlog the batch turns over several times a step (at most 64 slices of at least one mean
        // request lifetime each), so admission is not limited to once per step.
        var rounds = 0
        while budget > 1e-9, rounds < 64 {
            rounds += 1
            var kvUsed = Double(running) * context
            while let head = waiting.first, running < maxRunning, kvUsed + Double(promptTokens) <= usable, budget > prefillSeconds {
                let byBatch = maxRunning - running
                let byCache = Int((usable - kvUsed) / Double(promptTokens))
                let byTime = Int(budget / max(prefillSeconds, 1e-12))
                let take = min(head.count, byBatch, byCache, byTime)
                guard take > 0 else { break }
                let startedAt = now + (seconds - budget)
                budget -= Double(take) * prefillSeconds
                // Mean over the cohort: the wait from its mean arrival, one prefill, and half of any backlog its prompts
                // build when they arrive faster than they can be prefilled.
                let meanArrival = head.arrivedAt + head.span / 2
                let backlog = max(0, Double(take) * prefillSeconds - head.span) / 2
                let firstToken = max(0, startedAt - meanArrival) + prefillSeconds + backlog
                ttft.observe(firstToken, times: take)
                recentTTFT = firstToken
                if let limit = sla.timeToFirstTokenSeconds, firstToken > limit { result.slaViolations += take }
                running += take
                kvUsed += Double(take) * Double(promptTokens)
                result.admitted += take
                result.promptTokens += Double(take * promptTokens)
                waitingCount -= take
                if take == head.count { waiting.removeFirst() } else { waiting[0].count -= take }
            }
            guard running > 0, budget > 1e-9 else { break }
            let decode = timing(running)
            result.memoryBound = decode.memoryBound
            let lifetime = Double(outputTokens) * decode.decodeStepSeconds
            let slice = waitingCount > 0 && rounds < 64 ? min(budget, max(lifetime, seconds / 64)) : budget
            let iterations = slice / decode.decodeStepSeconds
            let tokens = Double(running) * iterations
            result.generatedTokens += tokens
            itl.observe(decode.decodeStepSeconds, times: Int(tokens.rounded()))
            completionCarry += tokens / Double(outputTokens)
            let completed = min(running, Int(completionCarry))
            completionCarry -= Double(completed)
            if running == completed { completionCarry = 0 }
            running -= completed
            result.completed += completed
            e2e.observe(recentTTFT + lifetime, times: completed)
            if let limit = sla.interTokenLatencySeconds, decode.decodeStepSeconds > limit { result.slaViolations += completed }
            budget -= slice
            if waitingCount == 0 { break }
        }
        result.busySeconds = seconds - budget
        // The batch grows into the cache; what does not fit is preempted back to the head of the queue (recompute).
        let need = Double(running) * context
        if need > kvCapacityTokens, running > 0 {
            let excess = Int(((need - kvCapacityTokens) / context).rounded(.up))
            let preempted = min(running, excess)
            running -= preempted
            waiting.insert(Cohort(count: preempted, arrivedAt: now + seconds, span: 0), at: 0)
            waitingCount += preempted
            result.preempted = preempted
        }
        promptTokensTotal += result.promptTokens
        generationTokensTotal += result.generatedTokens
        preemptionsTotal += result.preempted
        succeededTotal += result.completed
        updateUsage()
        return result
    }

    /// Drops every request (the engine died): running and waiting requests are lost.
    public mutating func abort() -> Int {
        let lost = running + waitingCount
        running = 0
        waiting.removeAll()
        waitingCount = 0
        updateUsage()
        return lost
    }

    private mutating func updateUsage() {
        kvUsage = kvCapacityTokens > 0 ? min(1, Double(running) * meanContextTokens / kvCapacityTokens) : 0
    }
}
