import Foundation
import KeelCore
import KeelKernel
import Logging
import ServiceLifecycle

/// `keel follow`: derives the chain from the settlement layer's batch records and the DA provider
/// each commitment names, re-executing every block and checking every root (`BatchReplayer`). On a
/// batch it cannot reproduce or fetch it stops with an alarm naming the batch; it never skips.
final class Follower: @unchecked Sendable {
    let replayer: BatchReplayer
    let bridge: BridgeClient
    /// Read before each step, so a DA provider swapped in is loaded before its first batch.
    let changeLog: ChangeLog
    let logger: Logger
    private let lock = NSLock()
    // Guarded by `lock`.
    private(set) var alarm: ReplayAlarm?
    private var unavailable: (batch: UInt64, attempts: Int)?
    /// Fetch attempts (200 ms apart) before data that cannot be had stops the follower.
    static let fetchAttempts = 15

    init(replayer: BatchReplayer, bridge: BridgeClient, changeLog: ChangeLog, logger: Logger) {
        self.replayer = replayer
        self.bridge = bridge
        self.changeLog = changeLog
        self.logger = logger
    }

    var stoppedWith: ReplayAlarm? { lock.withLock { alarm } }

    /// Replays every batch the settlement layer holds that this follower has not; returns how many.
    @discardableResult
    func step() throws -> Int {
        // The batch count first, then the change log: a record is appended before any block it
        // affects is made, so every record a counted batch depends on is read.
        let count = try bridge.batchCount().count
        try changeLog.catchUp()
        var done = 0
        while true {
            let index = replayer.nextBatch
            guard index < count else { return done }
            let record = try bridge.batch(index)
            do {
                try replayer.replay(record)
            } catch let error as ReplayAlarm {
                // Data that cannot be had is tried again for a few seconds (a provider restarting),
                // then it stops the follower like a root mismatch.
                let giveUp: Bool = lock.withLock {
                    guard error.message.hasPrefix("its data cannot be had") else { return true }
                    let attempts = unavailable?.batch == index ? (unavailable?.attempts ?? 0) + 1 : 1
                    unavailable = (index, attempts)
                    return attempts >= Self.fetchAttempts
                }
                if giveUp { lock.withLock { alarm = error } }
                throw error
            }
            lock.withLock { unavailable = nil }
            done += 1
        }
    }

    /// The follower's loop: a step every 200 ms; progress on a terminal; stops the node on an alarm.
    func service(node: Node, role: RoleSwitch?) -> any Service {
        let progress = FollowProgress(replayer: replayer, bridge: bridge)
        return BackgroundLoop(name: "follower", intervalMilliseconds: 200, logger: logger, role: role) { [self] in
            do {
                try step()
                progress.report()
                return .again
            } catch let error as ReplayAlarm where stoppedWith != nil {
                logger.critical("\(error.description); the follower stops (it never skips a batch)")
                role?.halted(error.description)
                return .stop
            }
        }
    }
}

extension Node {
    /// Why the follower stopped, when a batch could not be reproduced or fetched.
    public var followerAlarm: String? { follower?.stoppedWith?.description }
}

/// Batches, blocks per second and the time left, printed to a terminal once a second.
final class FollowProgress: @unchecked Sendable {
    let replayer: BatchReplayer
    let bridge: BridgeClient
    let isTerminal = isatty(STDOUT_FILENO) != 0
    private var last = (time: Date(), block: UInt64(0))

    init(replayer: BatchReplayer, bridge: BridgeClient) {
        self.replayer = replayer
        self.bridge = bridge
    }

    func report() {
        guard isTerminal, Date().timeIntervalSince(last.time) >= 1 else { return }
        let block = replayer.chain.head?.number ?? 0
        let now = Date()
        let rate = Double(block - min(block, last.block)) / now.timeIntervalSince(last.time)
        last = (now, block)
        guard let total = try? bridge.batchCount().count else { return }
        let done = replayer.nextBatch
        var line = "following: batch \(done)/\(total), block \(block), \(Int(rate)) blocks/s"
        if done < total, let record = try? bridge.batch(total - 1), rate > 0 {
            let left = Double(record.lastBlock - min(record.lastBlock, block)) / rate
            line += String(format: ", about %.0f s left", left)
        } else if done == total {
            line += ", caught up"
        }
        FileHandle.standardOutput.write(Data("\r\(line)\u{1B}[K".utf8))
    }
}
