import Foundation
import KeelCore
import Testing

/// `shared/vectors/ethereum.json`, made by independent Ethereum libraries (eth-account, eth-hash, rlp);
/// the tests read the copy in `Vectors/`.
struct SharedVectors: Decodable {
    struct KeccakVector: Decodable {
        let input: String
        let keccak256: String
    }

    struct RLPVector: Decodable {
        /// Nested lists of `0x`-hex strings.
        let decoded: JSONRLP
        let encoded: String
    }

    struct TransactionVector: Decodable {
        let raw: String
        let hash: String
        let type: String
        let sender: String
        let privateKey: String
        let fields: Fields
    }

    struct Fields: Decodable {
        let to: String?
        let value: JSONInteger?
        let gas: JSONInteger
        let nonce: JSONInteger
        let gasPrice: JSONInteger?
        let maxFeePerGas: JSONInteger?
        let maxPriorityFeePerGas: JSONInteger?
        let chainId: JSONInteger?
        let data: String?
        let type: Int?
        let accessList: [AccessListVector]?
    }

    struct AccessListVector: Decodable {
        let address: String
        let storageKeys: [String]
    }

    let keccak: [KeccakVector]
    let rlp: [RLPVector]
    let transactions: [TransactionVector]

    enum CodingKeys: String, CodingKey {
        case keccak = "keccak256"
        case rlp
        case transactions
    }

    static func load() throws -> SharedVectors {
        let url = try #require(Bundle.module.url(forResource: "ethereum", withExtension: "json", subdirectory: "Vectors"))
        return try JSONDecoder().decode(SharedVectors.self, from: Data(contentsOf: url))
    }
}

/// An RLP item as the vectors write it: a `0x`-hex string or a list of such items.
enum JSONRLP: Decodable {
    case bytes(String)
    case list([JSONRLP])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .bytes(text)
        } else {
            self = .list(try container.decode([JSONRLP].self))
        }
    }

    func item() throws -> RLPItem {
        switch self {
        case .bytes(let text): .bytes(try #require(Hex.decode(text), "bad hex \(text)"))
        case .list(let items): .list(try items.map { try $0.item() })
        }
    }
}

/// An integer written as a JSON number or, when large, as a decimal string.
struct JSONInteger: Decodable {
    let value: UInt128

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(UInt64.self) {
            value = UInt128(number)
        } else {
            let text = try container.decode(String.self)
            value = try #require(UInt128(text), "not a decimal integer: \(text)")
        }
    }
}
