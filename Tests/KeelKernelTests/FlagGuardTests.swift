import Foundation
import KeelKernel
import Testing

/// A rollout flag's guard: how the manifest declares it, and when its verdict trips (docs/FLAGS.md, "Guards").
@Suite struct FlagGuardTests {
    typealias Support = ManifestTestSupport

    @Test func aRolloutFlagCarriesItsGuard() throws {
        let yaml = Support.minimal + """
            features:
              send-raw-transaction-sync: { rollout_percent: 10, subject: client, guard: { metric: latency, max_ratio: 3, window_s: 30, min_requests: 5 } }
              plain: { rollout_percent: 5, subject: sender, guard: {} }
            """
        let flags = try ManifestLoader.parse(yaml: yaml, file: Support.file, directory: Support.directory).manifest.features
        #expect(flags[0].rolloutGuard == FlagGuard(metric: .latency, maxRatio: 3, windowSeconds: 30, minRequests: 5))
        #expect(flags[1].rolloutGuard == FlagGuard(metric: .errorRate, maxRatio: 2, windowSeconds: 60, minRequests: 20))
    }

    @Test func aGuardOnAConsensusFlagOrWithBadValuesIsRefused() {
        let yaml = Support.minimal + """
            features:
              at-height: { activate_at_height: 10, guard: { metric: error_rate } }
              bad: { rollout_percent: 5, subject: sender, guard: { metric: errors, max_ratio: 0.5 } }
            """
        let lines = Support.errorLines(yaml)
        #expect(lines.contains { $0.contains("`features.at-height.guard` applies only to rollout flags") }, "\(lines)")
        #expect(lines.contains { $0.contains("`features.bad.guard.metric` is `errors`, which is not a guard metric") }, "\(lines)")
        #expect(lines.contains { $0.contains("`features.bad.guard.max_ratio` must be a number from 1 to 1000") }, "\(lines)")
    }

    @Test func theVerdictComparesTheCohortWithTheRest() {
        let errors = FlagGuard(metric: .errorRate, maxRatio: 2, windowSeconds: 60, minRequests: 10)
        // Too few requests to judge; one error against none stays inside the one-point allowance at 100 requests.
        #expect(errors.verdict(cohort: .init(requests: 9, errors: 9), rest: .init(requests: 100)) == nil)
        #expect(errors.verdict(cohort: .init(requests: 100, errors: 1), rest: .init(requests: 100)) == nil)
        #expect(errors.verdict(cohort: .init(requests: 100, errors: 5), rest: .init(requests: 100, errors: 2)) == nil)
        #expect(errors.verdict(cohort: .init(requests: 100, errors: 6), rest: .init(requests: 100, errors: 2))
                == "error rate 6.0% in the cohort (6 of 100) against 2.0% for the rest (2 of 100) over 60 s, more than 2× the rest's")
        let latency = FlagGuard(metric: .latency, maxRatio: 1.5, windowSeconds: 10, minRequests: 1)
        #expect(latency.verdict(cohort: .init(requests: 2, seconds: 0.02), rest: .init(requests: 2, seconds: 0.02)) == nil)
        #expect(latency.verdict(cohort: .init(requests: 2, seconds: 0.04), rest: .init(requests: 2, seconds: 0.02))
                == "mean latency 20.0 ms in the cohort (2 requests) against 10.0 ms for the rest (2) over 10 s, more than 1.5× the rest's")
    }
}
