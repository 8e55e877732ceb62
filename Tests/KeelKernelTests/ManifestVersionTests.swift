import KeelKernel
import Testing

/// Semantic versions and the constraints a manifest puts on plugin versions.
@Suite struct ManifestVersionTests {
    func version(_ text: String) throws -> SemanticVersion {
        try #require(SemanticVersion(text), "\(text) should parse")
    }

    func accepts(_ constraint: String, _ candidates: [String]) throws -> [String] {
        let parsed = try VersionConstraint(constraint)
        return try candidates.filter { parsed.isSatisfied(by: try version($0)) }
    }

    let candidates = ["0.0.3", "0.0.4", "0.2.3", "0.2.9", "0.3.0", "1.0.0", "1.2.0", "1.2.3", "1.2.9", "1.3.0",
                      "1.9.9", "2.0.0-rc.1", "2.0.0", "2.1.0"]

    @Test func versionsParseAndPrint() throws {
        let full = try version("1.2.3-rc.1+build.5")
        #expect(full.major == 1 && full.minor == 2 && full.patch == 3)
        #expect(full.prerelease == [.text("rc"), .numeric(1)])
        #expect(full.build == ["build", "5"])
        #expect(full.description == "1.2.3-rc.1+build.5")
        for bad in ["1.2", "1.2.3.4", "01.2.3", "v1.2.3", "1.2.3-", "1.2.3-01", "1.2.x", "", "1.2.3+", "a.b.c"] {
            #expect(SemanticVersion(bad) == nil, "\(bad) is not a version")
        }
    }

    @Test func versionsOrderBySemverPrecedence() throws {
        let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                       "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0"]
        let versions = try ordered.map(version)
        #expect(versions.shuffled().sorted().map(\.description) == ordered)
        #expect(try version("1.0.0+a") == version("1.0.0+b"), "build metadata does not count")
    }

    @Test func rangesWithComparisons() throws {
        #expect(try accepts(">=1.0 <2", candidates) == ["1.0.0", "1.2.0", "1.2.3", "1.2.9", "1.3.0", "1.9.9"])
        #expect(try accepts(">= 1.2.3, < 1.3", candidates) == ["1.2.3", "1.2.9"])
        #expect(try accepts(">1.2", candidates) == ["1.3.0", "1.9.9", "2.0.0", "2.1.0"])
        #expect(try accepts(">1.2.3 <=1.3", candidates) == ["1.2.9", "1.3.0"])
        #expect(try accepts("<0.2.9", candidates) == ["0.0.3", "0.0.4", "0.2.3"])
    }

    @Test func caretKeepsTheLeftmostNonZeroNumber() throws {
        #expect(try accepts("^1.2", candidates) == ["1.2.0", "1.2.3", "1.2.9", "1.3.0", "1.9.9"])
        #expect(try accepts("^1.2.3", candidates) == ["1.2.3", "1.2.9", "1.3.0", "1.9.9"])
        #expect(try accepts("^0.2.3", candidates) == ["0.2.3", "0.2.9"])
        #expect(try accepts("^0.0.3", candidates) == ["0.0.3"])
        #expect(try accepts("^0", candidates) == ["0.0.3", "0.0.4", "0.2.3", "0.2.9", "0.3.0"])
    }

    @Test func tildeAllowsPatchChanges() throws {
        #expect(try accepts("~1.2.3", candidates) == ["1.2.3", "1.2.9"])
        #expect(try accepts("~1.2", candidates) == ["1.2.0", "1.2.3", "1.2.9"])
        #expect(try accepts("~1", candidates) == ["1.0.0", "1.2.0", "1.2.3", "1.2.9", "1.3.0", "1.9.9"])
    }

    @Test func bareVersionsAndWildcards() throws {
        #expect(try accepts("1.2.3", candidates) == ["1.2.3"])
        #expect(try accepts("=1.2.3", candidates) == ["1.2.3"])
        #expect(try accepts("1.2", candidates) == ["1.2.0", "1.2.3", "1.2.9"])
        #expect(try accepts("1.x", candidates) == ["1.0.0", "1.2.0", "1.2.3", "1.2.9", "1.3.0", "1.9.9"])
        #expect(try accepts("*", candidates) == candidates.filter { !$0.contains("-") })
        #expect(try accepts("^0.2 || >=2", candidates) == ["0.2.3", "0.2.9", "2.0.0", "2.1.0"])
    }

    @Test func preReleasesOnlyMatchConstraintsThatNameOne() throws {
        #expect(try accepts("<2", ["1.9.9", "2.0.0-rc.1"]) == ["1.9.9"])
        #expect(try accepts(">=2.0.0-rc.0", ["2.0.0-rc.1", "2.0.0", "2.1.0-beta"]) == ["2.0.0-rc.1", "2.0.0"])
        #expect(try accepts("2.0.0-rc.1", ["2.0.0-rc.1", "2.0.0"]) == ["2.0.0-rc.1"])
    }

    @Test func malformedConstraintsAreRefusedWithAReason() {
        let refusals: [(String, String)] = [
            ("", "the version constraint is empty; write `*` to accept any version"),
            (">=1.0 <<2", "`<<2` does not start with a known comparison (`>=`, `>`, `<=`, `<`, `=`, `^`, `~`); "
                + "write e.g. `>=1.0 <2`, `^1.2`, `~1.2.3`, `1.2.3` or `*`"),
            ("^", "`^` has no version after the comparison; write e.g. `>=1.0 <2`, `^1.2`, `~1.2.3`, `1.2.3` or `*`"),
            ("v1.2", "`v1.2` starts with `v`; write the version without it"),
            ("1.02", "`1.02` is not a version: `02` is not a number without leading zeros"),
            ("1.2.3-", "`1.2.3-` has a pre-release that is not dot-separated letters, digits and `-`"),
            ("^1 ||", "`^1 ||` has an empty alternative around `||`"),
            ("<*", "`<*` compares with `*`, which stands for every version; write `*` alone"),
            ("latest", "`latest` is not a version: write MAJOR.MINOR.PATCH (`1.2.0`) or leave out the last numbers "
                + "(`1.2`, `1`)"),
        ]
        for (text, reason) in refusals {
            do {
                _ = try VersionConstraint(text)
                Issue.record("`\(text)` should be refused")
            } catch {
                #expect(error.reason == reason)
            }
        }
    }

    @Test func constraintsPrintAsWritten() throws {
        #expect(try VersionConstraint(">=1.0 <2").description == ">=1.0 <2")
        #expect(VersionConstraint.any.isSatisfied(by: try version("9.9.9")))
    }
}
