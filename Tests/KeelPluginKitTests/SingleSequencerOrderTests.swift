import Foundation
import KeelCore
import KeelKernel
import KeelPluginTesting
import PropertyBased
import Testing

/// How `sequencer single` orders a block: by effective tip, ties by arrival, never a sender's nonce
/// n + 1 before n, only what pays the base fee, within the gas limit.
@Suite struct SingleSequencerOrderTests {
    static func sender(_ number: UInt8) -> [UInt8] { [UInt8](repeating: number, count: 20) }

    static func candidate(_ sender: UInt8, nonce: UInt64, tip: UInt128, maxFee: UInt128, gas: UInt64 = 21_000, arrival: UInt64) -> OrderCandidate {
        OrderCandidate(hash: Keccak256.hash([sender, UInt8(truncatingIfNeeded: nonce), UInt8(truncatingIfNeeded: arrival)]).bytes,
                       sender: Self.sender(sender), nonce: nonce, gasLimit: gas, maxFeePerGas: maxFee,
                       maxPriorityFeePerGas: tip, arrival: arrival)
    }

    static func effectiveTip(_ c: OrderCandidate, baseFee: UInt128) -> UInt128? {
        c.maxFeePerGas >= baseFee ? min(c.maxPriorityFeePerGas, c.maxFeePerGas - baseFee) : nil
    }

    @Test func theBestTipGoesFirstButNeverAheadOfItsSendersEarlierNonce() throws {
        let client = try SingleSequencerTests.withKey()
        let candidates = [
            Self.candidate(1, nonce: 0, tip: 1, maxFee: 100, arrival: 0),   // 0: A0, tip 1
            Self.candidate(1, nonce: 1, tip: 9, maxFee: 100, arrival: 1),   // 1: A1, tip 9, behind A0
            Self.candidate(2, nonce: 0, tip: 5, maxFee: 100, arrival: 2),   // 2: B0, tip 5
            Self.candidate(3, nonce: 0, tip: 5, maxFee: 100, arrival: 3),   // 3: C0, tip 5, arrived after B0
            Self.candidate(4, nonce: 0, tip: 50, maxFee: 52, arrival: 4),   // 4: D0, effective tip min(50, 52 − 50) = 2
            Self.candidate(5, nonce: 0, tip: 9, maxFee: 49, arrival: 5),    // 5: E0, cannot pay the base fee
            Self.candidate(5, nonce: 1, tip: 9, maxFee: 99, arrival: 6),    // 6: E1, behind an unpayable E0
            Self.candidate(2, nonce: 2, tip: 9, maxFee: 99, arrival: 7),    // 7: B2, a gap after B0
        ]
        #expect(try client.order(candidates, baseFee: 50, gasLimit: 30_000_000) == [2, 3, 4, 0, 1])
        // With room for three, the three best heads go in.
        #expect(try client.order(candidates, baseFee: 50, gasLimit: 3 * 21_000) == [2, 3, 4])
        #expect(try client.order([], baseFee: 50, gasLimit: 30_000_000) == [])
    }

    @Test func aTransactionTooLargeForWhatIsLeftMakesRoomForSmallerOnes() throws {
        let client = try SingleSequencerTests.withKey()
        let candidates = [
            Self.candidate(1, nonce: 0, tip: 9, maxFee: 100, gas: 60_000, arrival: 0),
            Self.candidate(1, nonce: 1, tip: 9, maxFee: 100, arrival: 1),
            Self.candidate(2, nonce: 0, tip: 3, maxFee: 100, arrival: 2),
            Self.candidate(3, nonce: 0, tip: 1, maxFee: 100, arrival: 3),
        ]
        #expect(try client.order(candidates, baseFee: 1, gasLimit: 50_000) == [2, 3])
    }

    @Test func ofTwoTransactionsWithOneNonceOnlyTheBetterPayingOneGoesIn() throws {
        let client = try SingleSequencerTests.withKey()
        let candidates = [
            Self.candidate(1, nonce: 0, tip: 2, maxFee: 100, arrival: 0),
            Self.candidate(1, nonce: 0, tip: 7, maxFee: 100, arrival: 1),   // a replacement with a better tip
            Self.candidate(1, nonce: 1, tip: 9, maxFee: 10, arrival: 2),    // cannot pay a base fee of 50 …
            Self.candidate(1, nonce: 1, tip: 1, maxFee: 60, arrival: 3),    // … but its replacement can
        ]
        #expect(try client.order(candidates, baseFee: 50, gasLimit: 30_000_000) == [1, 3])
    }

    /// Every order, for random candidates of four senders, keeps the rules.
    @Test func ordersKeepTipsNoncesFeesAndGas() async throws {
        let client = try SingleSequencerTests.withKey()
        await propertyCheck(count: 300, input: Gen.uint64().array(of: 0...40), Gen.uint64(in: 0...40), Gen.uint64(in: 0...300_000)) { seeds, base, gasLimit in
            let baseFee = UInt128(base)
            let candidates = seeds.enumerated().map { index, r in
                Self.candidate(UInt8(r & 3) + 1, nonce: (r >> 2) & 7, tip: UInt128((r >> 5) & 15), maxFee: UInt128((r >> 9) & 63),
                               gas: 21_000 + ((r >> 15) & 3) * 10_000, arrival: UInt64(index))
            }
            let order = try client.order(candidates, baseFee: baseFee, gasLimit: gasLimit)
            try Self.checkRules(order, candidates, baseFee: baseFee, gasLimit: gasLimit)

            // With gas for everything, every sender's payable run of nonces from its lowest goes in.
            let everything = try client.order(candidates, baseFee: baseFee, gasLimit: UInt64.max)
            try Self.checkRules(everything, candidates, baseFee: baseFee, gasLimit: .max)
            #expect(Set(everything.map { [candidates[$0].sender, [UInt8(candidates[$0].nonce)]] })
                    == Self.expectedRuns(candidates, baseFee: baseFee))
        }
    }

    static func checkRules(_ order: [Int], _ candidates: [OrderCandidate], baseFee: UInt128, gasLimit: UInt64) throws {
        #expect(Set(order).count == order.count)
        #expect(order.reduce(UInt64(0)) { $0 + candidates[$1].gasLimit } <= gasLimit)
        var previous: [[UInt8]: (nonce: UInt64, position: Int)] = [:]
        for (position, index) in order.enumerated() {
            let candidate = candidates[index]
            let tip = try #require(effectiveTip(candidate, baseFee: baseFee), "chose \(index), which cannot pay the base fee")
            let earlier = previous[candidate.sender]
            if let earlier { #expect(candidate.nonce == earlier.nonce + 1, "nonces of a sender go up by one") }
            // Once its sender's previous transaction was in, this one waited in the heap: everything
            // chosen meanwhile must rank before it (higher tip, or equal tip and earlier arrival).
            for between in order[((earlier?.position ?? -1) + 1)..<position] {
                let other = candidates[between]
                let otherTip = effectiveTip(other, baseFee: baseFee) ?? 0
                #expect(otherTip > tip || (otherTip == tip && other.arrival < candidate.arrival),
                        "\(between) (tip \(otherTip)) went before \(index) (tip \(tip))")
            }
            previous[candidate.sender] = (candidate.nonce, position)
        }
    }

    /// Per sender: the nonces from its lowest, consecutive, up to the first that no payable
    /// candidate holds, as [sender, [nonce]].
    static func expectedRuns(_ candidates: [OrderCandidate], baseFee: UInt128) -> Set<[[UInt8]]> {
        var lowest: [[UInt8]: UInt64] = [:]
        var payable: [[UInt8]: Set<UInt64>] = [:]
        for c in candidates {
            lowest[c.sender] = min(lowest[c.sender] ?? .max, c.nonce)
            if effectiveTip(c, baseFee: baseFee) != nil { payable[c.sender, default: []].insert(c.nonce) }
        }
        var runs: Set<[[UInt8]]> = []
        for (sender, first) in lowest {
            var nonce = first
            while payable[sender]?.contains(nonce) == true {
                runs.insert([sender, [UInt8(nonce)]])
                nonce += 1
            }
        }
        return runs
    }
}
