import Foundation
import KeelCore
import Testing

@Suite struct KeccakTests {
    @Test func emptyInputHasTheKnownDigest() {
        #expect(Keccak256.hash([UInt8]()).description == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
    }

    @Test func everySharedVectorMatches() throws {
        let vectors = try SharedVectors.load()
        #expect(!vectors.keccak.isEmpty)
        for vector in vectors.keccak {
            let input = try #require(Hex.decode(vector.input))
            #expect(Keccak256.hash(input).description == vector.keccak256.lowercased(), "input \(vector.input)")
        }
    }

    @Test func incrementalHashingMatchesOneShotAcrossBlockBoundaries() {
        let input = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let oneShot = Keccak256.hash(input)
        for split in [0, 1, 135, 136, 137, 272, 999, 1000] {
            var hasher = Keccak256.Hasher()
            hasher.absorb(Array(input[..<split]))
            hasher.absorb(Array(input[split...]))
            #expect(hasher.finish() == oneShot, "split at \(split)")
        }
    }
}
