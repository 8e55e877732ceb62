import KeelKernel
import Testing

@Suite struct FlagConcurrencyTests {
    /// Readers on other tasks keep evaluating while the share rises step by step: a subject, once
    /// seen in, is never seen out again, and after the last step everyone is in.
    @Test func evaluationDuringChangesSeesOnlyWholeValues() async throws {
        let directory = try FlagDataDirectory()
        let flags = try directory.open([FlagDefinition(name: "priority-lane", rule: .rollout(basisPoints: 0, subject: .sender))])
        let subjects = FlagFixtures.subjects(200)

        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var seenIn = Set<Int>()
                    var consistent = true
                    while seenIn.count < subjects.count {
                        for (index, subject) in subjects.enumerated() {
                            if flags.isEnabled("priority-lane", subject: subject) {
                                seenIn.insert(index)
                            } else if seenIn.contains(index) {
                                consistent = false
                            }
                        }
                        await Task.yield()
                    }
                    return consistent
                }
            }
            for percent in stride(from: 10.0, through: 100.0, by: 10.0) {
                try flags.setRollout("priority-lane", percent: percent, actor: "ramp")
                await Task.yield()
            }
            for try await consistent in group {
                #expect(consistent, "a subject dropped out while the share only rose")
            }
        }
        #expect(try flags.auditTrail().filter { $0.actor == "ramp" }.count == 10)
    }
}
