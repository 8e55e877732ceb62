import Benchmark
import KeelCore

// Figures and how to read them: docs/PERFORMANCE.md, section "Hashing, signatures, RLP, transactions".

/// Signatures over distinct hashes by one development key, made once before any benchmark runs.
struct RecoveryFixture: Sendable {
    let hashes: [Hash32]
    let signatures: [Signature]
    /// `r ‖ s` per signature, for the bare library call.
    let compact: [[UInt8]]
    let hashBytes: [[UInt8]]

    init(count: Int) {
        let key = (try? PrivateKey(hex: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"))!
        hashes = (0..<count).map { Keccak256.hash(Array("benchmark message \($0)".utf8)) }
        signatures = hashes.map { key.sign(hash: $0) }
        compact = signatures.map { $0.r.bytes + $0.s.bytes }
        hashBytes = hashes.map(\.bytes)
    }
}

/// EIP-155 legacy transactions, each an RLP list of nine fields, and the RLP list of all of them.
struct TransactionListFixture: Sendable {
    let raws: [[UInt8]]
    let encodedList: [UInt8]

    init(count: Int) {
        let key = (try? PrivateKey(hex: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"))!
        let raws = (0..<count).map { index in
            let transaction = Transaction.legacy(
                chainId: 901, nonce: UInt64(index), gasPrice: 1_000_000_000, gasLimit: 21_000 + UInt64(index % 50) * 16,
                to: Address(bytes: [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 20)),
                value: UInt128(index) * 1_000_000_000_000, data: [UInt8](repeating: 0xAB, count: index % 100))
            return (try? transaction.signed(with: key).raw) ?? []
        }
        self.raws = raws
        var encoder = RLPEncoder()
        encoder.appendList { list in
            for raw in raws { list.append(encoded: raw) }
        }
        encodedList = encoder.bytes
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(3))

    Benchmark("Keccak-256 of 64 bytes (x1000)") { benchmark in
        let input = [UInt8](repeating: 0xAB, count: 64)
        for _ in benchmark.scaledIterations {
            for _ in 0..<1000 { blackHole(Keccak256.hash(input)) }
        }
    }

    // The same 1000 messages of 64 bytes through the batch call: one at a time (1 lane, the
    // fallback) against the machine's SIMD lanes, in the same run (docs/PERFORMANCE.md).
    let messages = (0..<1000).map { index in [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 64) }
    Benchmark("Keccak-256 of 64 bytes, batch of 1000, 1 lane") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(Keccak256.hashEach(count: 1000, lanes: 1) { messages[$0] }) }
    }
    Benchmark("Keccak-256 of 64 bytes, batch of 1000, \(Keccak256.lanes) lanes") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(Keccak256.hashEach(count: 1000) { messages[$0] }) }
    }

    let recovery = RecoveryFixture(count: 64)

    // The two recovery benchmarks do the same work on the same signatures: parse r ‖ s with the
    // recovery id, recover the point, serialize it uncompressed. Keel adds its range and low-s checks.
    Benchmark("secp256k1 recover, bare libsecp256k1 call (x64)") { benchmark in
        var output = [UInt8](repeating: 0, count: 64)
        for _ in benchmark.scaledIterations {
            for index in 0..<64 {
                let ok = recovery.hashBytes[index].withUnsafeBufferPointer { hash in
                    recovery.compact[index].withUnsafeBufferPointer { signature in
                        output.withUnsafeMutableBufferPointer { out in
                            Secp256k1.rawRecover(hash: hash.baseAddress!, compactSignature: signature.baseAddress!,
                                                 recoveryId: Int32(recovery.signatures[index].yParity),
                                                 uncompressedPublicKey: out.baseAddress!)
                        }
                    }
                }
                blackHole(ok)
            }
            blackHole(output)
        }
    }

    Benchmark("secp256k1 recover, Keel API recoverPublicKey (x64)") { benchmark in
        for _ in benchmark.scaledIterations {
            for index in 0..<64 {
                blackHole(try? Secp256k1.recoverPublicKey(hash: recovery.hashes[index], signature: recovery.signatures[index]))
            }
        }
    }

    Benchmark("secp256k1 recover address, Keel API recoverAddress (x64)") { benchmark in
        for _ in benchmark.scaledIterations {
            for index in 0..<64 {
                blackHole(try? Secp256k1.recoverAddress(hash: recovery.hashes[index], signature: recovery.signatures[index]))
            }
        }
    }

    let list = TransactionListFixture(count: 1000)

    Benchmark("RLP decode to RLPItem, list of 1000 legacy transactions (\(list.encodedList.count) bytes)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? RLPItem.decode(list.encodedList))
        }
    }

    Benchmark("RLP walk with RLPReader, list of 1000 legacy transactions (\(list.encodedList.count) bytes)") { benchmark in
        for _ in benchmark.scaledIterations {
            do {
                var input = try RLPReader(list.encodedList)
                var transactions = try input.readList()
                while !transactions.isAtEnd {
                    var fields = try transactions.readList()
                    while !fields.isAtEnd { blackHole(try fields.readBytes()) }
                }
            } catch {
                blackHole(error)
            }
        }
    }

    Benchmark("Transaction.decode with sender recovery (x64 legacy EIP-155)") { benchmark in
        for _ in benchmark.scaledIterations {
            for raw in list.raws.prefix(64) { blackHole(try? Transaction.decode(raw: raw)) }
        }
    }

    Benchmark("RLP encode, list of 1000 legacy transactions") { benchmark in
        for _ in benchmark.scaledIterations {
            var encoder = RLPEncoder(reservingCapacity: list.encodedList.count)
            encoder.appendList { items in
                for raw in list.raws { items.append(encoded: raw) }
            }
            blackHole(encoder.bytes)
        }
    }
}
