import KeelKernel
import Testing

@Suite struct FlagActivationTests {
    @Test func aConsensusFlagIsOffOneBlockBeforeItsHeightAndOnFromIt() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open()
        #expect(!flags.isActive("batch-codec-brotli", atHeight: 0))
        #expect(!flags.isActive("batch-codec-brotli", atHeight: 999))
        #expect(flags.isActive("batch-codec-brotli", atHeight: 1000))
        #expect(flags.isActive("batch-codec-brotli", atHeight: 1001))
        #expect(flags.isActive("batch-codec-brotli", atHeight: .max))
    }

    @Test func aRescheduledFlagMovesItsBoundary() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open()
        try flags.scheduleConsensus("batch-codec-brotli", atHeight: 1500, currentHeight: 900, actor: "ops")
        #expect(!flags.isActive("batch-codec-brotli", atHeight: 1000))
        #expect(!flags.isActive("batch-codec-brotli", atHeight: 1499))
        #expect(flags.isActive("batch-codec-brotli", atHeight: 1500))
    }

    @Test func heightZeroIsActiveFromGenesis() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open([FlagDefinition(name: "from-genesis", rule: .consensus(activateAtHeight: 0))])
        #expect(flags.isActive("from-genesis", atHeight: 0))
    }

    @Test func unknownFlagsAndFlagsOfTheOtherKindAreOff() throws {
        let directory = try FlagDataDirectory()
        let everyone = [
            FlagDefinition(name: "genesis-rule", rule: .consensus(activateAtHeight: 0)),
            FlagDefinition(name: "everyone", rule: .rollout(basisPoints: 10_000, subject: .sender)),
        ]
        let flags = try directory.open(everyone)
        let subject = [UInt8](repeating: 1, count: 20)
        #expect(!flags.isActive("no-such-flag", atHeight: 5))
        #expect(!flags.isEnabled("no-such-flag", subject: subject))
        #expect(!flags.isActive("everyone", atHeight: 5))
        #expect(!flags.isEnabled("genesis-rule", subject: subject))
        #expect(flags.isEnabled("everyone", subject: subject))
        #expect(flags.isActive("genesis-rule", atHeight: 5))
    }

    @Test func activeAndScheduledListsFollowTheHeight() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open(FlagFixtures.definitions + [
            FlagDefinition(name: "state-expiry", rule: .consensus(activateAtHeight: 5000)),
            FlagDefinition(name: "blob-batches", rule: .consensus(activateAtHeight: 200)),
        ])
        #expect(flags.activeConsensusFlags(atHeight: 199) == [])
        #expect(flags.activeConsensusFlags(atHeight: 1000) == ["batch-codec-brotli", "blob-batches"])
        #expect(flags.scheduledConsensusFlags(after: 199) == [
            ScheduledFlag(name: "blob-batches", activateAtHeight: 200),
            ScheduledFlag(name: "batch-codec-brotli", activateAtHeight: 1000),
            ScheduledFlag(name: "state-expiry", activateAtHeight: 5000),
        ])
        #expect(flags.scheduledConsensusFlags(after: 1000) == [ScheduledFlag(name: "state-expiry", activateAtHeight: 5000)])
    }

    @Test func theListShowsEveryFlagWithItsCurrentAndDeclaredRule() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open()
        try flags.setRollout("priority-lane", percent: 25, actor: "ops")
        let list = flags.list()
        #expect(list.map(\.name) == ["batch-codec-brotli", "priority-lane"])
        #expect(list[0].setting.description == "consensus, active from height 1000")
        #expect(list[1].setting == .rollout(basisPoints: 2500, subject: .sender))
        #expect(list[1].setting.description == "rollout, 25.00% of senders")
        #expect(list[1].declared == .rollout(basisPoints: 1000, subject: .sender))
    }

    @Test func theManifestIsCheckedBeforeAnythingIsStored() throws {
        let directory = try FlagDataDirectory()
        let twice = [FlagFixtures.definitions[0], FlagFixtures.definitions[0]]
        let error = try #require(throws: FlagError.self) { try directory.open(twice) }
        #expect(error.code == .invalidDefinition)
        #expect(error.message.contains("`batch-codec-brotli` is declared twice"))

        let tooMuch = [FlagDefinition(name: "wide", rule: .rollout(basisPoints: 10_001, subject: .client))]
        let share = try #require(throws: FlagError.self) { try directory.open(tooMuch) }
        #expect(share.message.contains("more than 10000 (100%)"))
    }
}
