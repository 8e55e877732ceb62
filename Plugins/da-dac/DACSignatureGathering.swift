import Foundation
import KeelPluginKit

/// Waits for the members' answers to one store request and decides which signatures certify it.
///
/// The certificate takes the first `threshold` valid signatures **in member order**, so the same
/// blob gives the same commitment whenever the same members are up (the DA contract). It returns
/// as soon as that choice is settled: the members before the chosen ones have all answered, and
/// at least `threshold` of them signed. It gives up as soon as `threshold` can no longer be reached,
/// so members that are down (connection refused) fail a submit at once, not at the timeout. When
/// the deadline passes with `threshold` signatures in hand, it takes the first ones in member order.
final class DACSignatureGathering: @unchecked Sendable {
    // @unchecked: every access to `answers` holds `condition`.
    enum Answer: Sendable {
        case signed([UInt8])
        case failed(String)
    }

    /// The outcome: the chosen signers (positions) and signatures, or why `threshold` was not reached.
    enum Outcome: Sendable {
        case certified(signers: [Int], signatures: [[UInt8]])
        /// `failures` lists the members that failed (and, at the deadline, those that never answered);
        /// `signed` counts the members that answered well; `atDeadline` is false when the outcome was
        /// decided early because too many members had already failed.
        case unavailable(failures: [(position: Int, reason: String)], signed: Int, atDeadline: Bool)
    }

    private let condition = NSCondition()
    private var answers: [Answer?]
    private let threshold: Int

    init(memberCount: Int, threshold: Int) {
        answers = Array(repeating: nil, count: memberCount)
        self.threshold = threshold
    }

    /// Records member `position`'s answer and wakes the waiter.
    func record(_ position: Int, _ answer: Answer) {
        condition.lock()
        answers[position] = answer
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until the outcome is settled or `deadline` (a `Date`) passes.
    func wait(until deadline: Date) -> Outcome {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let outcome = settled(deadlinePassed: false) { return outcome }
            if !condition.wait(until: deadline) {
                return settled(deadlinePassed: true) ?? .unavailable(failures: [], signed: 0, atDeadline: true)
            }
        }
    }

    /// The outcome if it is decided (call with `condition` held).
    private func settled(deadlinePassed: Bool) -> Outcome? {
        var signers: [Int] = [], signatures: [[UInt8]] = []
        var prefixSettled = true
        for (position, answer) in answers.enumerated() {
            switch answer {
            case .signed(let signature)?:
                if signers.count < threshold {
                    signers.append(position)
                    signatures.append(signature)
                    if signers.count == threshold && (prefixSettled || deadlinePassed) {
                        return .certified(signers: signers, signatures: signatures)
                    }
                }
            case .failed?: continue
            case nil: prefixSettled = false
            }
        }
        let failed = answers.filter { if case .failed? = $0 { true } else { false } }.count
        guard deadlinePassed || answers.count - failed < threshold else { return nil }
        let failures = answers.enumerated().compactMap { position, answer -> (position: Int, reason: String)? in
            switch answer {
            case .failed(let reason)?: (position, reason)
            case nil: deadlinePassed ? (position, "no answer within the timeout") : nil
            case .signed?: nil
            }
        }
        return .unavailable(failures: failures, signed: signers.count, atDeadline: deadlinePassed)
    }
}
