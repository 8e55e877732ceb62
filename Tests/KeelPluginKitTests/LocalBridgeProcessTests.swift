import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// The L1 file shared with another process: the `sqlite3` shell holds a write transaction that
/// queues a deposit, and the bridge's own deposit waits for it instead of taking the same index.
@Suite struct LocalBridgeProcessTests {
    typealias F = AttestFixtures

    @Test func aWriteWaitsForAnotherProcessAndKeepsIndicesGapless() throws {
        let l1 = try LocalBridgeFixture("bridge-process")
        let bridge = try l1.bridge()
        let locked = "\(l1.folder)/locked"
        let sender = String(repeating: "cc", count: 20), recipient = String(repeating: "dd", count: 20)
        let amount = String(repeating: "00", count: 15) + "09"
        // The other process: take the write lock, queue deposit 0, say so, hold the lock a while, commit.
        let script = """
            ( echo "BEGIN IMMEDIATE;"
              echo "INSERT INTO deposits (idx, l1_block, sender, recipient, amount) VALUES (0, 0, x'\(sender)', x'\(recipient)', x'\(amount)');"
              echo ".output \(locked)"; echo "SELECT 'locked';"; echo ".output stdout"
              sleep 0.5
              echo "COMMIT;" ) | sqlite3 '\(l1.database)'
            """
        let other = Process()
        other.executableURL = URL(fileURLWithPath: "/bin/sh")
        other.arguments = ["-c", script]
        try other.run()
        let deadline = Date().addingTimeInterval(10)
        while (try? String(contentsOfFile: locked, encoding: .utf8))?.contains("locked") != true, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        try #require((try? String(contentsOfFile: locked, encoding: .utf8))?.contains("locked") == true, "sqlite3 did not take the lock")

        let index = try bridge.devDeposit(from: [UInt8](repeating: 0xAA, count: 20), to: [UInt8](repeating: 0xBB, count: 20), amount: 1)
        other.waitUntilExit()
        #expect(other.terminationStatus == 0)
        #expect(index == 1, "the deposit waited for the other process's deposit 0")
        let deposits = try bridge.deposits(from: 0)
        #expect(deposits.map(\.index) == [0, 1])
        #expect(deposits.first?.amount == 9)
        #expect(deposits.first?.from == [UInt8](repeating: 0xCC, count: 20))
    }
}
