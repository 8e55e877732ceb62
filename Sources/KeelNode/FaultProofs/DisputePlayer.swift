import Foundation
import KeelCore
import KeelKernel

/// Plays one side of dispute games on the settlement layer from a trace it holds
/// (docs/FAULT_PROOFS.md, §2): the proposer posts and defends its batches, a challenger opens games
/// against roots it computes otherwise; both reveal, step and resolve through the same moves.
struct DisputePlayer {
    let bridge: BridgeClient
    let chainID: UInt64
    /// Signs the calls that move this player's money (posting, staking, opening).
    let signer: CallSigner

    var address: Address { signer.address }

    /// A settlement call; `signed` ones carry this player's next L1 nonce and its signature.
    @discardableResult
    func call(_ method: String, _ fields: [String: Any], signed: Bool = false) throws -> [String: Any] {
        var body = fields
        body["method"] = method
        guard signed else { return try bridge.settle(body, chainID: chainID) }
        body["nonce"] = try nonce()
        let bytes = [UInt8](try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
        return try SettlementCall.response(try bridge.call(try signer.sign(bytes)))
    }

    func nonce() throws -> UInt64 {
        let answer = try bridge.settle(["method": "ledger.balance", "account": address.description], chainID: chainID)
        return (answer["nonce"] as? NSNumber)?.uint64Value ?? 0
    }

    /// Posts `trace`'s batch with its commitment (the proposer); its root is the trace's last root.
    func post(_ trace: BatchTrace) throws {
        guard let start = trace.roots.first, let end = trace.roots.last else { return }
        let n = trace.roots.count - 1
        var fields: [String: Any] = [
            "index": trace.record.index, "first_block": trace.record.firstBlock, "last_block": trace.record.lastBlock,
            "previous_root": Hex.encode(trace.record.previousRoot), "root": end.stateRoot.description,
            "withdrawals_root": end.withdrawalsRoot.description, "da_commitment": Hex.encode(trace.record.daCommitment),
            "trace_commitment": trace.commitment.root.description, "step_count": n,
            "start": Hex.encode(start.encoded), "end": Hex.encode(end.encoded),
            "start_proof": try trace.commitment.proof(at: 0).map(\.description), "end_proof": try trace.commitment.proof(at: n).map(\.description),
        ]
        if n < TraceCommitment.maxSteps { fields["end_marker_proof"] = try trace.commitment.proof(at: n + 1).map(\.description) }
        try call("batch.post", fields, signed: true)
    }

    /// Opens a game against `trace`'s batch if the posted end differs from this trace's (the
    /// challenger); returns the game's id, or nil when there is nothing to dispute.
    func challenge(_ trace: BatchTrace, postedSteps: Int, postedEnd: Hash32) throws -> Int64? {
        let position = trace.commitment.leaf(at: postedSteps) != postedEnd ? postedSteps : postedSteps + 1
        guard position < TraceCommitment.leafCount,
              position == postedSteps || trace.commitment.leaf(at: position) != TraceCommitment.end else { return nil }
        let (leaf, proof) = try trace.opening(at: position)
        let answer = try call("game.open", ["batch": trace.record.index, "commitment": trace.commitment.root.description,
                                            "start_proof": try trace.commitment.proof(at: 0).map(\.description),
                                            "position": position, "leaf": leaf.description, "proof": proof.map(\.description)], signed: true)
        return (answer["game"] as? NSNumber)?.int64Value
    }

    /// Makes whatever move `side` owes in game `id` from `trace`: a reveal, the step, or the
    /// resolution once the game has ended. Returns the game as the L1 shows it after the move.
    @discardableResult
    func move(game id: Int64, as side: String, trace: BatchTrace) throws -> [String: Any] {
        let game = try call("game.show", ["game": id])
        let phase = game["phase"] as? String
        let lo = (game["lo"] as? NSNumber)?.intValue ?? 0, hi = (game["hi"] as? NSNumber)?.intValue ?? 0
        switch phase {
        case "bisection":
            guard let mine = game[side] as? [String: Any], mine["owes"] as? Bool == true else { return game }
            let (leaf, proof) = try trace.opening(at: lo + (hi - lo) / 2)
            return try call("game.reveal", ["game": id, "side": side, "leaf": leaf.description, "proof": proof.map(\.description)])
        case "step":
            if trace.commitment.leaf(at: lo) == TraceCommitment.end {
                return try call("game.step", ["game": id, "opening": "0x", "witness": "0x"])
            }
            let (opening, witness) = try trace.prove(hi)
            return try call("game.step", ["game": id, "opening": Hex.encode(opening.encoded), "witness": Hex.encode(witness.encoded)])
        case "ended":
            return try call("game.resolve", ["game": id])
        default:
            return game
        }
    }
}

/// Who signs a player's settlement calls: the `fault` proof plugin, which holds the key
/// (`dispute_move` signs a call's body), or, in tests, a key in memory.
struct CallSigner: Sendable {
    let address: Address
    /// The signed envelope for a call's body.
    let sign: @Sendable ([UInt8]) throws -> [UInt8]

    static func key(_ key: PrivateKey, chainID: UInt64) -> CallSigner {
        CallSigner(address: key.address) { body in
            try SettlementCall.envelope(body: body, signature: SettlementCall.sign(body: body, chainID: chainID, key: key))
        }
    }

    /// The proof plugin's key, through `dispute_move` (docs/plugins/fault.md).
    static func plugin(_ proof: ProofClient) throws -> CallSigner {
        let empty = Transition(chainID: 0, batchIndex: 0, firstBlock: 0, lastBlock: 0, previousRoot: [], root: [], withdrawalsRoot: [],
                               daCommitment: [], batch: [])
        let answer = try SettlementCall.response(try proof.disputeMove(empty, dispute: Array("{\"method\":\"address\"}".utf8), state: MemoryState()))
        guard let text = answer["address"] as? String, let address = Address(hex: text) else {
            throw SettlementCallError("the proof plugin names no player address; is it the `fault` plugin with a key_file?")
        }
        return CallSigner(address: address) { body in try proof.disputeMove(empty, dispute: body, state: MemoryState()) }
    }
}
