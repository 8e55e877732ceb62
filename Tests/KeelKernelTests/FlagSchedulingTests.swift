import KeelKernel
import Testing

@Suite struct FlagSchedulingTests {
    @Test func aHeightInThePastIsRefusedAndSaysWhatToChoose() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open(minimumLead: 100)
        for height: UInt64 in [5, 10] {
            let error = try #require(throws: FlagError.self) {
                try flags.scheduleConsensus("batch-codec-brotli", atHeight: height, currentHeight: 10, actor: "ops")
            }
            #expect(error.code == .heightInPast)
            #expect(error.message.contains("cannot be scheduled at height \(height): the chain is already at 10"))
            #expect(error.message.contains("choose 110 or later"))
        }
        #expect(flags.setting(of: "batch-codec-brotli") == .consensus(activateAtHeight: 1000))
    }

    @Test func aHeightInsideTheMinimumLeadIsRefused() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open(minimumLead: 100)
        let error = try #require(throws: FlagError.self) {
            try flags.scheduleConsensus("batch-codec-brotli", atHeight: 105, currentHeight: 10, actor: "ops")
        }
        #expect(error.code == .insideMinimumLead)
        #expect(error.message == "flag `batch-codec-brotli` cannot be scheduled at height 105: the minimum lead is 100 blocks and the chain is at 10; choose 110 or later")
        #expect(throws: FlagError.self) {
            try flags.scheduleConsensus("batch-codec-brotli", atHeight: 109, currentHeight: 10, actor: "ops")
        }
        #expect(try flags.auditTrail().filter { $0.action == .schedule }.isEmpty)
    }

    @Test func exactlyTheMinimumLeadAheadIsAccepted() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open(minimumLead: 100)
        let record = try flags.scheduleConsensus("batch-codec-brotli", atHeight: 110, currentHeight: 10, actor: "ops")
        #expect(record.oldValue == "consensus:1000")
        #expect(record.newValue == "consensus:110")
        #expect(flags.isActive("batch-codec-brotli", atHeight: 110))
        #expect(!flags.isActive("batch-codec-brotli", atHeight: 109))
    }

    @Test func aConfiguredLeadIsTheOneEnforced() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open(minimumLead: 5000)
        #expect(flags.earliestHeight(after: 10) == 5010)
        #expect(throws: FlagError.self) {
            try flags.scheduleConsensus("batch-codec-brotli", atHeight: 5009, currentHeight: 10, actor: "ops")
        }
        try flags.scheduleConsensus("batch-codec-brotli", atHeight: 5010, currentHeight: 10, actor: "ops")
    }

    @Test func anActiveConsensusFlagCannotBeMoved() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open()
        let error = try #require(throws: FlagError.self) {
            try flags.scheduleConsensus("batch-codec-brotli", atHeight: 3000, currentHeight: 1000, actor: "ops")
        }
        #expect(error.code == .alreadyActive)
        #expect(error.message.contains("active since height 1000 and the chain is at 1000"))
        #expect(flags.isActive("batch-codec-brotli", atHeight: 1000))
    }

    @Test func anActiveConsensusFlagCannotBeKilledBecauseThatForks() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open()
        let error = try #require(throws: FlagError.self) {
            try flags.kill("batch-codec-brotli", currentHeight: 1200, actor: "oncall")
        }
        #expect(error.code == .alreadyActive)
        #expect(error.message.contains("cannot be killed"))
        #expect(error.message.contains("fork"))
        #expect(flags.isActive("batch-codec-brotli", atHeight: 1200))
    }

    @Test func killingAPendingConsensusFlagCancelsItUntilScheduledAgain() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open()
        try flags.kill("batch-codec-brotli", currentHeight: 999, actor: "oncall")
        #expect(flags.setting(of: "batch-codec-brotli") == .consensus(activateAtHeight: nil))
        #expect(!flags.isActive("batch-codec-brotli", atHeight: .max - 1))
        #expect(flags.scheduledConsensusFlags(after: 0).isEmpty)
        try flags.scheduleConsensus("batch-codec-brotli", atHeight: 2000, currentHeight: 1500, actor: "ops")
        #expect(flags.isActive("batch-codec-brotli", atHeight: 2000))
    }

    @Test func changesOfTheWrongKindOrToUnknownFlagsAreRefused() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open()
        let wrongKind = try #require(throws: FlagError.self) {
            try flags.scheduleConsensus("priority-lane", atHeight: 500, currentHeight: 1, actor: "ops")
        }
        #expect(wrongKind.code == .wrongKind)
        #expect(wrongKind.message.contains("is a rollout flag"))
        #expect(throws: FlagError.self) { try flags.setRollout("batch-codec-brotli", percent: 5, actor: "ops") }

        let unknown = try #require(throws: FlagError.self) { try flags.setRollout("priorty-lane", percent: 5, actor: "ops") }
        #expect(unknown.code == .unknownFlag)
        #expect(unknown.message.contains("did you mean `priority-lane`?"))
    }

    @Test func aChangeWithoutAnActorIsRefused() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open()
        let error = try #require(throws: FlagError.self) { try flags.setRollout("priority-lane", percent: 50, actor: " ") }
        #expect(error.code == .missingActor)
        #expect(flags.setting(of: "priority-lane") == .rollout(basisPoints: 1000, subject: .sender))
    }
}
