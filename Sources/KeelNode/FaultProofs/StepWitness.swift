import KeelCore

/// What a one-step proof carries besides the opening of `R_{i−1}` (docs/FAULT_PROOFS.md, §3): a
/// state proof for each key (or probe) the step needs, and the withdrawals append path if it sends
/// a message.
///
/// Encoded as RLP: `[[entry, …], paths]`, each entry `[keyHash, values, proof]` where `values` is
/// `[]` for a key proven absent and `[value]` for one proven present, `proof` is the state proof's
/// own encoding (docs/STATE.md), and `paths` is `[]` or `[[sibling, …]]`.
struct StepWitness: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var keyHash: Hash32
        var value: [UInt8]?
        var proof: StateProof
    }

    var entries: [Entry] = []
    var withdrawalPath: [Hash32]?

    /// The most entries a witness may carry; a step of any VM Keel runs touches far fewer keys.
    static let maxEntries = 4096

    var encoded: [UInt8] {
        var encoder = RLPEncoder()
        encoder.appendList { list in
            list.appendList { entries in
                for entry in self.entries {
                    entries.appendList { item in
                        item.append(entry.keyHash)
                        item.appendList { values in
                            if let value = entry.value { values.append(bytes: value) }
                        }
                        item.append(bytes: entry.proof.encoded())
                    }
                }
            }
            list.appendList { paths in
                if let path = withdrawalPath {
                    paths.appendList { siblings in
                        for sibling in path { siblings.append(sibling) }
                    }
                }
            }
        }
        return encoder.bytes
    }

    init(entries: [Entry] = [], withdrawalPath: [Hash32]? = nil) {
        self.entries = entries
        self.withdrawalPath = withdrawalPath
    }

    /// Reads a witness; anything but the exact shape above is refused with the reason.
    init(encoded bytes: [UInt8]) throws(StepProofError) {
        do {
            var top = try RLPReader(bytes)
            var list = try top.readList(field: "witness")
            try top.finish()
            var entryList = try list.readList(field: "entries")
            guard try entryList.remainingItemCount() <= Self.maxEntries else {
                throw StepProofError.badWitness("more than \(Self.maxEntries) entries")
            }
            while try entryList.remainingItemCount() > 0 {
                var item = try entryList.readList(field: "entry")
                let keyHash = try item.readHash32(field: "keyHash")
                var values = try item.readList(field: "values")
                let value: [UInt8]? = try values.remainingItemCount() == 0 ? nil : Array(try values.readBytes(field: "value"))
                try values.finish()
                let proof = try StateProof(encoded: Array(try item.readBytes(field: "proof")))
                try item.finish()
                entries.append(Entry(keyHash: keyHash, value: value, proof: proof))
            }
            var paths = try list.readList(field: "paths")
            if try paths.remainingItemCount() > 0 {
                var siblings = try paths.readList(field: "path")
                var path: [Hash32] = []
                while try siblings.remainingItemCount() > 0 {
                    guard path.count < 64 else { throw StepProofError.badWitness("a withdrawals path of more than 64 siblings") }
                    path.append(try siblings.readHash32(field: "sibling"))
                }
                withdrawalPath = path
            }
            try paths.finish()
            try list.finish()
        } catch let error as StepProofError {
            throw error
        } catch {
            throw StepProofError.badWitness("it does not decode: \(error)")
        }
    }
}
