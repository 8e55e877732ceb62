import Foundation
import KeelKernel
import Prometheus
import Synchronization

/// Requests, errors and latency of each rollout feature split by cohort (flag on or off for the
/// request's subject): counters and a histogram at `/metrics`, labelled `feature` and `cohort`, and
/// a window of per-second totals for the guards (`FlagGuard`).
final class CohortMonitor: Sendable {
    /// How many seconds of history the guards may look at.
    static let historySeconds = 3600

    private struct Second: Sendable {
        var at: Int64
        var on = FlagGuard.Sample()
        var off = FlagGuard.Sample()
    }

    /// One cohort's metrics, made once: a request then touches no registry lock.
    private struct Metrics: Sendable {
        let requests: Counter
        let errors: Counter
        let latency: DurationHistogram
    }

    private let history = Mutex<[String: [Second]]>([:])
    private let clock: @Sendable () -> Double
    /// The metrics of the features the manifest declares, by feature and cohort: only they are
    /// measured (an undeclared feature is off for everyone).
    private let metrics: [RolloutFeature: (on: Metrics, off: Metrics)]

    init(registry: PrometheusCollectorRegistry, declared: Set<RolloutFeature>,
         clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        func make(_ feature: RolloutFeature, _ cohort: String) -> Metrics {
            let labels = [("feature", feature.rawValue), ("cohort", cohort)]
            return Metrics(requests: registry.makeCounter(descriptor: Self.requests, labels: labels),
                           errors: registry.makeCounter(descriptor: Self.errors, labels: labels),
                           latency: registry.makeDurationHistogram(descriptor: Self.latency, labels: labels, buckets: Self.buckets))
        }
        var metrics: [RolloutFeature: (on: Metrics, off: Metrics)] = [:]
        for feature in declared { metrics[feature] = (make(feature, "on"), make(feature, "off")) }
        self.metrics = metrics
        self.clock = clock
    }

    /// Records one request of `feature` from a subject in (`cohort`) or out of its cohort.
    func record(_ feature: RolloutFeature, cohort: Bool, failed: Bool, seconds: Double) {
        guard let both = metrics[feature] else { return }
        let chosen = cohort ? both.on : both.off
        chosen.requests.increment()
        if failed { chosen.errors.increment() }
        chosen.latency.recordNanoseconds(Int64(seconds * 1_000_000_000))
        let now = Int64(clock())
        let elapsed = seconds
        history.withLock { history in
            var window = history[feature.rawValue, default: []]
            if window.last?.at != now { window.append(Second(at: now)) }
            let index = window.count - 1
            func add(_ sample: inout FlagGuard.Sample) {
                sample.requests += 1
                sample.errors += failed ? 1 : 0
                sample.seconds += elapsed
            }
            if cohort { add(&window[index].on) } else { add(&window[index].off) }
            if let first = window.first, now - first.at > Int64(Self.historySeconds) { window.removeFirst(window.count / 2) }
            history[feature.rawValue] = window
        }
    }

    /// The cohort's and the rest's totals over the last `window` seconds.
    func window(_ feature: String, seconds window: UInt64) -> (cohort: FlagGuard.Sample, rest: FlagGuard.Sample) {
        let since = Int64(clock()) - Int64(window)
        return history.withLock { history in
            var on = FlagGuard.Sample(), off = FlagGuard.Sample()
            for second in history[feature, default: []] where second.at > since {
                on.requests += second.on.requests; on.errors += second.on.errors; on.seconds += second.on.seconds
                off.requests += second.off.requests; off.errors += second.off.errors; off.seconds += second.off.seconds
            }
            return (on, off)
        }
    }

    /// Forgets a feature's history (after its guard tripped, so a new rollout starts clean).
    func reset(_ feature: String) {
        history.withLock { $0[feature] = nil }
    }

    static var requests: MetricNameDescriptor { MetricNameDescriptor(namespace: "keel", metricName: "feature_requests", unitName: "total",
                                               helpText: "Requests of a rollout feature, by cohort") }
    static var errors: MetricNameDescriptor { MetricNameDescriptor(namespace: "keel", metricName: "feature_errors", unitName: "total",
                                             helpText: "Failed requests of a rollout feature, by cohort") }
    static var latency: MetricNameDescriptor { MetricNameDescriptor(namespace: "keel", metricName: "feature_latency", unitName: "seconds",
                                              helpText: "Latency of a rollout feature's requests, by cohort") }

    static let buckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250),
                                      .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)]
}
