import Foundation

/// A rollout flag's guard (docs/FLAGS.md, "Guards"): the automatic rollback canary tools give web
/// services. Over the last `windowSeconds`, the guarded feature's cohort (the subjects the flag is on
/// for) is compared with the rest; when the cohort is worse by more than `maxRatio`, the node turns
/// the flag off by itself and records why in the audit trail.
public struct FlagGuard: Sendable, Hashable {
    public enum Metric: String, Sendable, Hashable, CaseIterable {
        /// The share of the feature's requests that fail.
        case errorRate = "error_rate"
        /// The mean latency of the feature's requests.
        case latency
    }

    public var metric: Metric
    /// How much worse the cohort may be than the rest: 2 trips when its error rate (or latency) passes
    /// twice the rest's. Error rates get an allowance of 1 point, so a cohort does not trip when the
    /// rest has no errors and it has one.
    public var maxRatio: Double
    public var windowSeconds: UInt64
    /// The cohort's requests in the window below which the guard does not judge.
    public var minRequests: Int

    public init(metric: Metric, maxRatio: Double, windowSeconds: UInt64, minRequests: Int) {
        self.metric = metric
        self.maxRatio = maxRatio
        self.windowSeconds = windowSeconds
        self.minRequests = minRequests
    }

    /// What a window holds for one side (the cohort, or the rest).
    public struct Sample: Sendable, Equatable {
        public var requests: Int
        public var errors: Int
        public var seconds: Double

        public init(requests: Int = 0, errors: Int = 0, seconds: Double = 0) {
            self.requests = requests
            self.errors = errors
            self.seconds = seconds
        }

        public var errorRate: Double { requests == 0 ? 0 : Double(errors) / Double(requests) }
        public var meanSeconds: Double { requests == 0 ? 0 : seconds / Double(requests) }
    }

    /// Why the guard trips for `cohort` against `rest`, or nil when it holds (or cannot judge yet).
    public func verdict(cohort: Sample, rest: Sample) -> String? {
        guard cohort.requests >= minRequests else { return nil }
        switch metric {
        case .errorRate:
            let limit = rest.errorRate * maxRatio + 0.01
            guard cohort.errorRate > limit else { return nil }
            return "error rate \(Self.percent(cohort.errorRate)) in the cohort (\(cohort.errors) of \(cohort.requests)) against "
                + "\(Self.percent(rest.errorRate)) for the rest (\(rest.errors) of \(rest.requests)) over \(windowSeconds) s, "
                + "more than \(Self.number(maxRatio))× the rest's"
        case .latency:
            guard rest.requests > 0 else { return nil }
            guard cohort.meanSeconds > rest.meanSeconds * maxRatio else { return nil }
            return "mean latency \(Self.milliseconds(cohort.meanSeconds)) in the cohort (\(cohort.requests) requests) against "
                + "\(Self.milliseconds(rest.meanSeconds)) for the rest (\(rest.requests)) over \(windowSeconds) s, "
                + "more than \(Self.number(maxRatio))× the rest's"
        }
    }

    static func percent(_ rate: Double) -> String { String(format: "%.1f%%", rate * 100) }
    static func milliseconds(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }
    static func number(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }
}
