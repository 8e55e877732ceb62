import KeelCore
import KeelKernel
import Testing

@Suite struct FlagRolloutTests {
    /// Computed independently with pycryptodome's Keccak-256 (docs/FLAGS.md has the first as a worked example).
    @Test func bucketsMatchTheDefinitionComputedElsewhere() throws {
        let address = try #require(Address(hex: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"))
        #expect(RolloutBucket.bucket(flag: "priority-lane", subject: address.bytes) == 5047)
        #expect(RolloutBucket.bucket(flag: "priority-lane", subject: "203.0.113.7") == 8554)
        let other = try #require(Hex.decode("70997970C51812dc3A010C7d01b50e0d17dc79C8"))
        #expect(RolloutBucket.bucket(flag: "batch-posting-v2", subject: other) == 6291)
    }

    @Test func theBucketIsTheDigestsFirstEightBytesBigEndianModTenThousand() {
        let flag = "a-flag-whose-name-is-longer-than-one-keccak-block-" + String(repeating: "x", count: 120)
        for subject in FlagFixtures.subjects(50) {
            let digest = Keccak256.hash(Array(flag.utf8) + subject).bytes
            let leading = digest[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            #expect(RolloutBucket.bucket(flag: flag, subject: subject) == UInt16(leading % 10_000))
        }
    }

    @Test(arguments: [1000, 2000, 5000]) func theShareIsWithinOnePointOverAHundredThousandSubjects(basisPoints: Int) throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open()
        try flags.setRollout("priority-lane", basisPoints: UInt16(basisPoints), actor: "test")
        let enabled = FlagFixtures.subjects(100_000).count { flags.isEnabled("priority-lane", subject: $0) }
        let percent = Double(enabled) / 1000
        #expect(abs(percent - Double(basisPoints) / 100) <= 1, "\(enabled) of 100000 subjects enabled")
    }

    @Test func aSubjectInAtTenPercentStaysInAtTwentyAndNewOnesJoin() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open()
        let subjects = FlagFixtures.subjects(5000)
        let atTen = Set(subjects.filter { flags.isEnabled("priority-lane", subject: $0) })
        try flags.setRollout("priority-lane", percent: 20, actor: "test")
        let atTwenty = Set(subjects.filter { flags.isEnabled("priority-lane", subject: $0) })
        #expect(!atTen.isEmpty)
        #expect(atTen.isSubset(of: atTwenty))
        #expect(atTwenty.count > atTen.count + atTen.count / 2)
    }

    @Test func twoFlagsPickDifferentSubjects() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open([
            FlagDefinition(name: "lane-a", rule: .rollout(basisPoints: 5000, subject: .sender)),
            FlagDefinition(name: "lane-b", rule: .rollout(basisPoints: 5000, subject: .sender)),
        ])
        let subjects = FlagFixtures.subjects(2000)
        let same = subjects.count { flags.isEnabled("lane-a", subject: $0) == flags.isEnabled("lane-b", subject: $0) }
        #expect(same > 800 && same < 1200, "independent halves agree about half the time, not \(same) of 2000")
    }

    @Test func addressAndTextSubjectsUseTheirBytes() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open([FlagDefinition(name: "priority-lane", rule: .rollout(basisPoints: 5048, subject: .sender))])
        let address = try #require(Address(hex: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"))
        #expect(flags.isEnabled("priority-lane", subject: address))      // bucket 5047 < 5048
        try flags.setRollout("priority-lane", basisPoints: 5047, actor: "test")
        #expect(!flags.isEnabled("priority-lane", subject: address))     // 5047 is not below 5047
        try flags.setRollout("priority-lane", basisPoints: 8555, actor: "test")
        #expect(flags.isEnabled("priority-lane", subject: "203.0.113.7"))  // bucket 8554
    }

    @Test func theKillSwitchTurnsARolloutOffForEveryoneAtOnce() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open()
        try flags.setRollout("priority-lane", percent: 100, actor: "ops")
        let subjects = FlagFixtures.subjects(1000)
        #expect(subjects.allSatisfy { flags.isEnabled("priority-lane", subject: $0) })
        let record = try flags.kill("priority-lane", currentHeight: 10, actor: "oncall")
        #expect(record.oldValue == "rollout:10000:sender")
        #expect(record.newValue == "rollout:0:sender")
        #expect(!subjects.contains { flags.isEnabled("priority-lane", subject: $0) })
    }

    @Test func aShareOutsideZeroToHundredPercentIsRefused() throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open()
        let error = try #require(throws: FlagError.self) { try flags.setRollout("priority-lane", percent: 120, actor: "ops") }
        #expect(error.code == .shareOutOfRange)
        #expect(error.message.contains("give a percent from 0 to 100"))
        #expect(throws: FlagError.self) { try flags.setRollout("priority-lane", basisPoints: 10_001, actor: "ops") }
        #expect(flags.setting(of: "priority-lane") == .rollout(basisPoints: 1000, subject: .sender))
    }
}
