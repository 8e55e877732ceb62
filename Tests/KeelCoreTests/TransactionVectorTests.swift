import KeelCore
import Testing

@Suite struct TransactionVectorTests {
    private static let typeNames: [String: TransactionType] = [
        "legacy": .legacy, "eip155": .legacy, "eip2930": .accessList, "eip1559": .dynamicFee,
    ]

    @Test func everySharedVectorDecodesWithItsSenderHashAndFields() throws {
        let vectors = try SharedVectors.load().transactions
        #expect(vectors.count == 48)
        for vector in vectors {
            let raw = try #require(Hex.decode(vector.raw))
            let signed = try Transaction.decode(raw: raw)
            let context = "\(vector.type) \(vector.hash)"
            #expect(signed.type == Self.typeNames[vector.type], "\(context)")
            #expect(signed.sender == Address(hex: vector.sender), "\(context)")
            #expect(signed.hash.description == vector.hash.lowercased(), "\(context)")
            try expectFields(of: signed, match: vector)
        }
    }

    @Test func everySharedVectorReencodesToItsRawBytes() throws {
        for vector in try SharedVectors.load().transactions {
            let raw = try #require(Hex.decode(vector.raw))
            let signed = try Transaction.decode(raw: raw)
            // Rebuild the transaction from its fields and signature alone, not from the kept input.
            let rebuilt = try rebuild(signed.transaction)
            #expect(rebuilt.signingHash == signed.signingHash, "\(vector.hash)")
            #expect(signed.raw == raw)
        }
    }

    @Test func everySharedVectorResignsToItsRawBytes() throws {
        for vector in try SharedVectors.load().transactions {
            let raw = try #require(Hex.decode(vector.raw))
            let key = try PrivateKey(hex: vector.privateKey)
            #expect(key.address == Address(hex: vector.sender))
            let decoded = try Transaction.decode(raw: raw)
            let resigned = try rebuild(decoded.transaction).signed(with: key)
            #expect(Hex.encode(resigned.raw) == vector.raw.lowercased(), "\(vector.type) \(vector.hash)")
            #expect(resigned.hash == decoded.hash)
            #expect(resigned.sender == decoded.sender)
            #expect(resigned.v == decoded.v)
        }
    }

    /// The same transaction made through the public constructors, field by field.
    private func rebuild(_ transaction: Transaction) throws -> Transaction {
        switch transaction.type {
        case .legacy:
            return .legacy(chainId: transaction.chainId, nonce: transaction.nonce, gasPrice: try #require(transaction.gasPrice),
                           gasLimit: transaction.gasLimit, to: transaction.to, value: transaction.value, data: transaction.data)
        case .accessList:
            return .accessList(chainId: try #require(transaction.chainId), nonce: transaction.nonce,
                               gasPrice: try #require(transaction.gasPrice), gasLimit: transaction.gasLimit,
                               to: transaction.to, value: transaction.value, data: transaction.data,
                               accessList: transaction.accessList)
        case .dynamicFee:
            return .dynamicFee(chainId: try #require(transaction.chainId), nonce: transaction.nonce,
                               maxPriorityFeePerGas: transaction.maxPriorityFeePerGas, maxFeePerGas: transaction.maxFeePerGas,
                               gasLimit: transaction.gasLimit, to: transaction.to, value: transaction.value,
                               data: transaction.data, accessList: transaction.accessList)
        }
    }

    private func expectFields(of signed: SignedTransaction, match vector: SharedVectors.TransactionVector) throws {
        let fields = vector.fields
        let context = "\(vector.type) \(vector.hash)"
        #expect(signed.nonce == UInt64(fields.nonce.value), "\(context)")
        #expect(signed.gasLimit == UInt64(fields.gas.value), "\(context)")
        #expect(signed.to == fields.to.flatMap { Address(hex: $0) }, "\(context)")
        #expect(signed.value == (fields.value?.value ?? 0), "\(context)")
        #expect(signed.data == (try fields.data.map { try #require(Hex.decode($0)) } ?? []), "\(context)")
        #expect(signed.chainId == fields.chainId.map { UInt64($0.value) }, "\(context)")
        if let gasPrice = fields.gasPrice {
            #expect(signed.gasPrice == gasPrice.value, "\(context)")
            #expect(signed.maxFeePerGas == gasPrice.value, "\(context)")
        } else {
            #expect(signed.gasPrice == nil, "\(context)")
            #expect(signed.maxFeePerGas == fields.maxFeePerGas?.value, "\(context)")
            #expect(signed.maxPriorityFeePerGas == fields.maxPriorityFeePerGas?.value, "\(context)")
        }
        let expectedList = try (fields.accessList ?? []).map { entry in
            AccessListEntry(address: try #require(Address(hex: entry.address)),
                            storageKeys: try entry.storageKeys.map { try #require(Hash32(hex: $0)) })
        }
        #expect(signed.accessList == expectedList, "\(context)")
        if let type = fields.type { #expect(Int(signed.type.rawValue) == type, "\(context)") }
        #expect(signed.signingHash == signed.transaction.signingHash)
        #expect(try Secp256k1.recoverAddress(hash: signed.signingHash, signature: signed.signature) == signed.sender)
    }
}
