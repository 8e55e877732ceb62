import Foundation
import GRDB
import KeelKernel
import Testing

@Suite struct FlagAuditTests {
    @Test func everyChangeIsRecordedWithTimeActorOldAndNew() throws {
        let directory = try FlagDataDirectory()
        let clock = FlagTestClock(startingAt: 1_000)
        let flags = try directory.open(clock: clock)
        clock.set(2_000)
        try flags.setRollout("priority-lane", percent: 20, actor: "alice")
        clock.set(3_000)
        try flags.scheduleConsensus("batch-codec-brotli", atHeight: 900, currentHeight: 500, actor: "bob")
        clock.set(4_000)
        try flags.kill("priority-lane", currentHeight: 600, actor: "carol")

        let trail = try flags.auditTrail()
        #expect(trail.map(\.action) == [.manifest, .manifest, .rollout, .schedule, .kill])
        #expect(trail[0].actor == "manifest" && trail[0].oldValue == nil && trail[0].newValue == "consensus:1000")
        let changes = trail.suffix(3).map { "\($0.timeMilliseconds) \($0.actor) \($0.flag) \($0.oldValue ?? "-") -> \($0.newValue)" }
        #expect(changes == [
            "2000 alice priority-lane rollout:1000:sender -> rollout:2000:sender",
            "3000 bob batch-codec-brotli consensus:1000 -> consensus:900",
            "4000 carol priority-lane rollout:2000:sender -> rollout:0:sender",
        ])
        #expect(trail.map(\.sequence) == [1, 2, 3, 4, 5])
    }

    @Test func theTrailAndTheChangesSurviveARestart() throws {
        let directory = try FlagDataDirectory()
        do {
            let flags = try directory.open()
            try flags.setRollout("priority-lane", percent: 35, actor: "alice")
            try flags.scheduleConsensus("batch-codec-brotli", atHeight: 700, currentHeight: 500, actor: "bob")
        }
        let restarted = try directory.open()
        #expect(restarted.setting(of: "priority-lane") == .rollout(basisPoints: 3500, subject: .sender))
        #expect(restarted.isActive("batch-codec-brotli", atHeight: 700))
        #expect(!restarted.isActive("batch-codec-brotli", atHeight: 699))
        let trail = try restarted.auditTrail()
        #expect(trail.map(\.actor) == ["manifest", "manifest", "alice", "bob"], "a restart with the same manifest adds nothing")

        try restarted.kill("priority-lane", currentHeight: 650, actor: "carol")
        let again = try directory.open()
        #expect(again.setting(of: "priority-lane") == .rollout(basisPoints: 0, subject: .sender))
        #expect(try again.auditTrail().count == 5)
    }

    @Test func anEditedManifestWinsOverEarlierRuntimeChanges() throws {
        let directory = try FlagDataDirectory()
        do {
            let flags = try directory.open()
            try flags.setRollout("priority-lane", percent: 35, actor: "alice")
        }
        var edited = FlagFixtures.definitions
        edited[1].rule = .rollout(basisPoints: 5000, subject: .sender)
        let flags = try directory.open(edited)
        #expect(flags.setting(of: "priority-lane") == .rollout(basisPoints: 5000, subject: .sender))
        #expect(flags.setting(of: "batch-codec-brotli") == .consensus(activateAtHeight: 1000))
        let last = try #require(try flags.auditTrail().last)
        #expect(last.action == .manifest && last.oldValue == "rollout:3500:sender" && last.newValue == "rollout:5000:sender")
    }

    @Test func aChangeThatCannotBeRecordedDoesNotTakeEffect() throws {
        let directory = try FlagDataDirectory()
        _ = try directory.open()
        var configuration = Configuration()
        configuration.readonly = true
        let readOnly = try DatabaseQueue(path: directory.path + "/flags.sqlite", configuration: configuration)
        let flags = try FeatureFlags(definitions: FlagFixtures.definitions, database: readOnly, minimumLead: 100)

        let error = try #require(throws: FlagError.self) { try flags.setRollout("priority-lane", percent: 90, actor: "alice") }
        #expect(error.code == .storage)
        #expect(error.message.contains("the flag was not changed"))
        #expect(flags.setting(of: "priority-lane") == .rollout(basisPoints: 1000, subject: .sender))
        #expect(try flags.auditTrail().count == 2)
    }

    @Test func theTrailCanLiveInTheNodesOwnDatabase() throws {
        let database = try DatabaseQueue()
        let flags = try FeatureFlags(definitions: FlagFixtures.definitions, database: database, minimumLead: 10)
        try flags.setRollout("priority-lane", basisPoints: 1234, actor: "alice")
        let count = try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM keel_flag_audit") }
        #expect(count == 3)
    }
}
