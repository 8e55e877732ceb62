@testable import KeelCore
import Testing

/// Keccak on several lanes at once (CKeccak) gives the digests of the one-at-a-time code, on every
/// width this machine runs (8 with AVX-512, 4 with AVX2, and 1, the fallback everywhere).
@Suite struct KeccakLanesTests {
    /// The widths to check here: the machine's own and every narrower one.
    static let widths = [8, 4, 1].filter { $0 <= Keccak256.lanes }

    @Test func theMachineReportsAWidthItRuns() {
        #expect([1, 4, 8].contains(Keccak256.lanes))
    }

    @Test(arguments: widths)
    func sharedVectorsHashTheSameInABatch(lanes: Int) throws {
        let vectors = try SharedVectors.load()
        let inputs = try vectors.keccak.map { try #require(Hex.decode($0.input)) }
        let digests = Keccak256.hashEach(count: inputs.count, lanes: lanes) { inputs[$0] }
        for (digest, vector) in zip(digests, vectors.keccak) {
            #expect(digest.description == vector.keccak256.lowercased(), "input \(vector.input), \(lanes) lanes")
        }
    }

    @Test(arguments: widths)
    func everyLengthAndBatchSizeMatchesOneAtATime(lanes: Int) {
        var random = SplitMix64(seed: UInt64(lanes))
        // Lengths around the block (135 is the longest one-block message, 136 takes two) and batch
        // sizes that leave every number of lanes unused in the last group.
        for count in [0, 1, 3, 4, 5, 7, 8, 9, 17, 300] {
            let messages = (0..<count).map { index -> [UInt8] in
                let length = count == 300 ? index % 300 : Int(random.next() % 140)
                return (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            }
            let batched = Keccak256.hashEach(count: count, lanes: lanes) { messages[$0] }
            #expect(batched == messages.map { Keccak256.hash($0) }, "\(count) messages, \(lanes) lanes")
        }
    }

    @Test(arguments: widths)
    func prefixedPairsMatchTheTreeHashes(lanes: Int) {
        var random = SplitMix64(seed: 99 + UInt64(lanes))
        for count in [1, 2, 7, 8, 9, 16, 33, 1000] {
            let pairs = (0..<count).map { _ in HashPair(left: random.hash(), right: random.hash()) }
            for domain in [StateTree.leafDomain, StateTree.innerDomain] {
                var digests = [Hash32](repeating: .zero, count: count)
                pairs.withUnsafeBufferPointer { pairs in
                    digests.withUnsafeMutableBufferPointer { Keccak256.hashPrefixedPairs(domain, pairs, into: $0, lanes: lanes) }
                }
                #expect(digests == pairs.map { StateTree.hash65(domain, $0.left, $0.right) },
                        "\(count) pairs, domain \(domain), \(lanes) lanes")
            }
        }
    }

    @Test func aPairIsTheSixtyFourBytesOfTwoDigests() {
        #expect(MemoryLayout<HashPair>.size == 64 && MemoryLayout<HashPair>.stride == 64)
        #expect(MemoryLayout<Hash32>.stride == 32)
    }
}

extension SplitMix64 {
    mutating func hash() -> Hash32 { Hash32(storage: (next(), next(), next(), next())) }
}
