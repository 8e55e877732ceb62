import Testing
import Foundation

/// `shared/vectors/ethereum.json`, made by independent Ethereum libraries (eth-account, eth-hash, rlp);
/// the tests read the copy in `Vectors/`.
struct SharedVectors: Decodable {
    struct KeccakVector: Decodable {
        let input: String
        let keccak256: String
    }

    let keccak: [KeccakVector]

    enum CodingKeys: String, CodingKey {
        case keccak = "keccak256"
    }

    static func load() throws -> SharedVectors {
        let url = try #require(Bundle.module.url(forResource: "ethereum", withExtension: "json", subdirectory: "Vectors"))
        return try JSONDecoder().decode(SharedVectors.self, from: Data(contentsOf: url))
    }
}
