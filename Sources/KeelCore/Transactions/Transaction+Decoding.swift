extension Transaction {
    /// The largest raw transaction accepted: 128 KiB, as Ethereum's transaction pools allow.
    public static let maxRawSize = 128 * 1024

    /// Decodes a user transaction as sent to `eth_sendRawTransaction`, checks its signature and
    /// recovers its sender.
    ///
    /// Refuses, with a reason a wallet user can act on: input over 128 KiB, malformed or
    /// non-canonical RLP, an unknown or unsupported type byte (blob transactions, type 3, included),
    /// deposit transactions (type 0x7e: see `decodeDeposit(raw:)`), a `v` that is neither 27/28 nor
    /// `35 + 2·chainId + {0,1}`, a y-parity other than 0/1, `r` or `s` zero or not below n, a high
    /// `s` (EIP-2), integers wider than their field (values and fees over 128 bits, nonce, gas and
    /// chain id over 64), and a signature no public key recovers from. The chain id is not checked:
    /// compare `chainId` with your own.
    ///
    /// With `recoveryCache`, a transaction whose hash is cached takes its sender from the cache, and
    /// a recovered sender is added to it.
    public static func decode(raw: [UInt8], recoveryCache: RecoveryCache? = nil) throws(TransactionError) -> SignedTransaction {
        guard let first = raw.first else { throw TransactionError(.empty) }
        guard raw.count <= maxRawSize else { throw TransactionError(.tooLarge(size: raw.count, limit: maxRawSize)) }
        switch first {
        case 0xC0...0xFF:
            return try decodeLegacy(raw, cache: recoveryCache)
        case TransactionType.accessList.rawValue, TransactionType.dynamicFee.rawValue:
            return try decodeTyped(raw, type: TransactionType(rawValue: first) ?? .accessList, cache: recoveryCache)
        case 0x03, 0x04:
            throw TransactionError(.unsupportedType(first))
        case DepositTransaction.typeByte:
            throw TransactionError(.depositNotAccepted)
        case 0x80...0xBF:
            throw TransactionError(.malformed(RLPError(.expectedList, at: 0)))
        default:
            throw TransactionError(.unknownType(first))
        }
    }

    /// The signature fields as they appear on the wire.
    private struct WireSignature {
        var v: UInt64
        var r: Hash32
        var s: Hash32
    }

    private static func decodeLegacy(_ raw: [UInt8], cache: RecoveryCache?) throws(TransactionError) -> SignedTransaction {
        let body: Transaction
        let wire: WireSignature
        do {
            (body, wire) = try readLegacyFields(raw)
        } catch {
            throw TransactionError(.malformed(error))
        }
        let chainId: UInt64?
        let parity: UInt64
        switch wire.v {
        case 27, 28:
            chainId = nil
            parity = wire.v - 27
        case 35...:
            chainId = (wire.v - 35) / 2
            parity = (wire.v - 35) % 2
        default:
            throw TransactionError(.invalidV(wire.v))
        }
        let transaction = Transaction.legacy(chainId: chainId, nonce: body.nonce, gasPrice: body.maxFeePerGas,
                                             gasLimit: body.gasLimit, to: body.to, value: body.value, data: body.data)
        return try transaction.attach(Signature(r: wire.r, s: wire.s, yParity: UInt8(parity)), raw: raw, cache: cache)
    }

    private static func readLegacyFields(_ raw: [UInt8]) throws(RLPError) -> (Transaction, WireSignature) {
        var input = try RLPReader(raw)
        var fields = try input.readList(field: "transaction")
        try input.finish()
        try expectCount(9, in: fields, at: 0)
        let nonce = try fields.readUInt64(field: "nonce")
        let gasPrice = try fields.readUInt128(field: "gasPrice")
        let gasLimit = try fields.readUInt64(field: "gasLimit")
        let to = try readRecipient(&fields)
        let value = try fields.readUInt128(field: "value")
        let data = Array(try fields.readBytes(field: "data"))
        let wire = WireSignature(v: try fields.readUInt64(field: "v"), r: try fields.readScalar256(field: "r"),
                                 s: try fields.readScalar256(field: "s"))
        let body = Transaction.legacy(chainId: nil, nonce: nonce, gasPrice: gasPrice, gasLimit: gasLimit, to: to,
                                      value: value, data: data)
        return (body, wire)
    }

    private static func decodeTyped(_ raw: [UInt8], type: TransactionType, cache: RecoveryCache?) throws(TransactionError) -> SignedTransaction {
        let transaction: Transaction
        let wire: WireSignature
        do {
            (transaction, wire) = try readTypedFields(raw, type: type)
        } catch {
            throw TransactionError(.malformed(error))
        }
        guard wire.v <= 1 else { throw TransactionError(.invalidYParity(wire.v)) }
        return try transaction.attach(Signature(r: wire.r, s: wire.s, yParity: UInt8(wire.v)), raw: raw, cache: cache)
    }

    private static func readTypedFields(_ raw: [UInt8], type: TransactionType) throws(RLPError) -> (Transaction, WireSignature) {
        var input = try RLPReader(raw, from: 1)
        var fields = try input.readList(field: "transaction")
        try input.finish()
        try expectCount(type == .dynamicFee ? 12 : 11, in: fields, at: 1)
        let chainId = try fields.readUInt64(field: "chainId")
        let nonce = try fields.readUInt64(field: "nonce")
        let fees: Fees
        if type == .dynamicFee {
            let tip = try fields.readUInt128(field: "maxPriorityFeePerGas")
            fees = .dynamic(maxPriorityFeePerGas: tip, maxFeePerGas: try fields.readUInt128(field: "maxFeePerGas"))
        } else {
            fees = .gasPrice(try fields.readUInt128(field: "gasPrice"))
        }
        let gasLimit = try fields.readUInt64(field: "gasLimit")
        let to = try readRecipient(&fields)
        let value = try fields.readUInt128(field: "value")
        let data = Array(try fields.readBytes(field: "data"))
        let accessList = try readAccessList(&fields)
        let wire = WireSignature(v: try fields.readUInt64(field: "yParity"), r: try fields.readScalar256(field: "r"),
                                 s: try fields.readScalar256(field: "s"))
        let transaction = Transaction(type: type, chainId: chainId, nonce: nonce, fees: fees, gasLimit: gasLimit,
                                      to: to, value: value, data: data, accessList: accessList)
        return (transaction, wire)
    }

    /// Checks the signature, recovers the sender and wraps it all up.
    private func attach(_ signature: Signature, raw: [UInt8], cache: RecoveryCache?) throws(TransactionError) -> SignedTransaction {
        let signingHash = self.signingHash
        let hash = Keccak256.hash(raw)
        let sender: Address
        if let cached = cache?.sender(of: hash) {
            sender = cached
        } else {
            do {
                sender = try Secp256k1.recoverAddress(hash: signingHash, signature: signature)
            } catch {
                throw TransactionError(.invalidSignature(error))
            }
            cache?.insert(sender, for: hash)
        }
        return SignedTransaction(transaction: self, signature: signature, sender: sender, signingHash: signingHash,
                                 hash: hash, raw: raw)
    }

    private static func expectCount(_ expected: Int, in fields: RLPReader, at offset: Int) throws(RLPError) {
        let found = try fields.remainingItemCount()
        guard found == expected else {
            throw RLPError(.wrongItemCount(expected: expected, found: found), at: offset, field: "transaction")
        }
    }

    private static func readRecipient(_ fields: inout RLPReader) throws(RLPError) -> Address? {
        let start = fields.position
        let bytes = try fields.readBytes(field: "to")
        if bytes.isEmpty { return nil }
        guard let address = Address(bytes: bytes) else {
            throw RLPError(.wrongByteCount(expected: 20, found: bytes.count), at: start, field: "to")
        }
        return address
    }

    private static func readAccessList(_ fields: inout RLPReader) throws(RLPError) -> [AccessListEntry] {
        var list = try fields.readList(field: "accessList")
        var entries: [AccessListEntry] = []
        while !list.isAtEnd {
            let index = entries.count
            let entryStart = list.position
            var entry = try list.readList(field: "accessList[\(index)]")
            let count = try entry.remainingItemCount()
            guard count == 2 else {
                throw RLPError(.wrongItemCount(expected: 2, found: count), at: entryStart, field: "accessList[\(index)]")
            }
            let address = try entry.readAddress(field: "accessList[\(index)].address")
            var keys = try entry.readList(field: "accessList[\(index)].storageKeys")
            var storageKeys: [Hash32] = []
            while !keys.isAtEnd {
                storageKeys.append(try keys.readHash32(field: "accessList[\(index)].storageKeys[\(storageKeys.count)]"))
            }
            entries.append(AccessListEntry(address: address, storageKeys: storageKeys))
        }
        return entries
    }
}
