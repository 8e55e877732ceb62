import KeelCore
import Testing

/// Bytes made by an independent implementation: a Python script written from docs/FORMATS.md alone
/// (its reference decoder section; rlp 4.0.1, eth-hash, brotli, zlib). Keel must produce the same
/// header, receipt, roots and stored batch, and must accept the zlib and brotli batches it made.
@Suite struct BatchFormatVectorTests {
    static let header = Hex.decode(
        "f8fda011f1efd0825aa3c737ce7a3831438f918cc83545afbed69e69fddee7e6fd5811078601977420e2d6a06b4a7d8a" +
        "89eaccfc2b80b9df02ade7764396268081299042bbc8da7a2a5ef0bba017471d40d3b4b52084211584e5ed0de4e33171" +
        "d623f88ad51badb07baf34f5afa0837399e622967f92f2ba0d0ab8b41d1b497ed52a31354c945bd675f2657d6dcfa000" +
        "00000000000000000000000000000000000000000000000000000000000000843b9aca0782a4108401c9c380b8410102" +
        "030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132" +
        "333435363738393a3b3c3d3e3f4001"
    ) ?? []
    static let receipt = Hex.decode(
        "f8450182f618825208f83cf83a94aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaae1a0f099cd8bde557814842a3121" +
        "e8ddfd433a539b8c9f14bf31ebf108d12e6196e982cafe"
    ) ?? []
    static let batch0 = Hex.decode(
        "b100000000000000038500000000000000070000000200000476f90237f8fda011f1efd0825aa3c737ce7a3831438f91" +
        "8cc83545afbed69e69fddee7e6fd5811078601977420e2d6a06b4a7d8a89eaccfc2b80b9df02ade77643962680812990" +
        "42bbc8da7a2a5ef0bba017471d40d3b4b52084211584e5ed0de4e33171d623f88ad51badb07baf34f5afa0837399e622" +
        "967f92f2ba0d0ab8b41d1b497ed52a31354c945bd675f2657d6dcfa00000000000000000000000000000000000000000" +
        "000000000000000000000000843b9aca0782a4108401c9c380b8410102030405060708090a0b0c0d0e0f101112131415" +
        "161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f4001f90135b8" +
        "8502f882847fffffff888000000000000000808082520894f32ba845a5b64b74b3527f791d064f62576bcb3090ffffff" +
        "ffffffffffffffffffffffffff8409b8f529c080a031e7e825dfc8b4b0dd2d219a1f99fdd50a21252661162fa9f4c0f2" +
        "4dbefd4702a05826b81f5520720f62a033249142ac5cfa893b053e1f3f781d08f83d856b1551b8ac02f8a982a4558080" +
        "0782c35094f899f8741c4037c89ec7fae48adeb078a95b422e01b844f03a63f74e0a532f51cad894e4eb4d3e55198b9c" +
        "94ce98173e3805ce3e6612448dde12ba1305a2024ac0ca5b7e78dcdb271980c7cb531382f3aa2c2dc626fc24d2dd514e" +
        "c080a0314f25bd92954ba418add27809d438ac90300c1b72fe1f7ab61459a4aa66e1dda04b2d1762602438a82e9f5434" +
        "fe6c3b4d6dcfe5a8571e28ddd0d646d5ff55e5baf90239f8fda0213a5a86b78d467a23d70b4fe0c7d5ec4b1205434302" +
        "e08f61d413912d9a96a2088601977420e3d0a083e5a60db94ada46113dc0c8cb6560cee385fe66d176b9e1cc97decc3f" +
        "ceb6a9a05b1cbaf9d0095bec69c44499bdeb91e9fc187f9227e420812aed459822c6c506a0837399e622967f92f2ba0d" +
        "0ab8b41d1b497ed52a31354c945bd675f2657d6dcfa00000000000000000000000000000000000000000000000000000" +
        "000000000000843b9aca0782a4108401c9c380b8410102030405060708090a0b0c0d0e0f101112131415161718191a1b" +
        "1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f4001f90137b8bc01f8b98203" +
        "85888000000000000000843b9aca0082520894678358f3d8935a75e844a88c9bf5ba0162c8dbd290ffffffffffffffff" +
        "ffffffffffffffff81ccf838f794678358f3d8935a75e844a88c9bf5ba0162c8dbd2e1a0f30e7bde5d918d33f081697c" +
        "d05b6a5800898a9fc99c54759907cd3aa22d8c9501a08d442d9445bc9d6c9bd39d348b1a5048073bdadfbd9e75bcf29f" +
        "e73a0094e6b8a03b9577a16302dc74bae2c26fd43bcad3c20c5c819db934329a7ffcd1d1979e71b877f8758880000000" +
        "0000000001830f4240943a97f11ae651070506a68a02f0e161af37f86cb98d0c38c0c8fd8712b8bc076f3787801ca08b" +
        "9d54038c526a3d248a1354f04b0b268ffd06a21050e6e1cb07f84640c401a2a052a521b7fd241858096376b21f5a9a78" +
        "fad0057ccff1016b2fffc936878008d2"
    ) ?? []
    static let batch1 = Hex.decode(
        "b101000000000000038500000000000000070000000200000476789cfbc964fee3ef02c18fef2f34452d3e6e7eaecac2" +
        "d0b97f62cf0953d7f5fbaecdcbfc7beff9b3bf1182ec6d8cd34b141e5d5b90ed55dbd5f9eacc1fed869df799d63e2f73" +
        "9ea6d6d0a839c169f7895b555a711f762f10779775b8bc65ab428ba268cbd3b7bc4f1e1b165e53fed175557aed86eaf5" +
        "265fd72f682e9ef94c695afda44fbb78b9766c9195f6acbbaa6568ea3325fa5ae9a7d4dadcf30b18088016eb59a7d89b" +
        "9608b4309e3cdcb0c39191899985958d9d83938b9b87978f5f4050485844544c5c42524a5a46564e5e4151495945554d" +
        "5d43534b5b47574fdfc0d0c8d8c4d4ccdcc2d2cadac6d6cede81f127a3e98e56a61f4d2df5ffffffef6880dad2d0d014" +
        "c431e5b3f60ad7a5dbbc4b3607d557cab2f92785679f3698f01f0db470eef8aa79a06181e1f317aaf74f6cd970575771" +
        "96fcccbf57b91455d512c5f4577e39f0c977df5f77a605116a3be443158af8931618ab4c745a13f3abd39ad54edebe42" +
        "96e3876d6bb668e08e354c3f56362d096d68606f3a1c30e5c7cc1f25320ee627e61dfff5a4ebde868a95d14e7a8c3b5c" +
        "3e58257ff7e30ad60f3c7563ca93d7be76a192dd73a69c9b216e67c17ace2e4dc8a5f79ed02e61d6454c5e074e45d755" +
        "dcb9ad2ed970fc74b070d3e7553abac7d4fea85cba1be80772adbfeade4953bd9748acbd54c179c562cd04031ee9a27f" +
        "f255db442297ac4a7b787781b7ae7852828ac50abdf92126ff72ac7d73cf3f5d112ea771f7c235b7abff439feefac964" +
        "094c398a56516ddb7bddaa94af73fb3f387ef58db710abb333d383fec42bc21375674d5bc4014e398f2f2c687eba8c77" +
        "a7d72d3741db03274ea7269c7bdcfa2fed62d9ce8767a6df3b637f6edbca05d132bb7e5ee08c7e9379c465e6ded7135f" +
        "fe91a89fa4fe44a151ebadeb0ca56347d90663ca31dfb187f1c7ce26e65678ba01d9c1004a3ae9cd119f6f4c8e2a7de1" +
        "b2a267f6d75d8c49276e5fc2483a8d677e587cc7aaf4e182cf7cd5f76227f61a7f68ccacb9109d15c1d0d935ffe49c90" +
        "d299ec67ad16e9f64c655cd0eba23bc575cfdc9cd997e79a744b0578b05bdfbabf775ee99e4ff39f5b314c79b66381f5" +
        "d4f285c94c774a763d3a947fc5fad4e5433c318d73779a18cdaaff73f1e2f479853bca7f94c25dced8ccefe430c56afa" +
        "47a96781ecac6ccbba983e3c4c5c6ffe2367672f8fc581137fdb8576ec61cf376f6f9059d03d3784b92728cb56a54b38" +
        "e48337b75aff5fb6450201cf1e9e66ffe1e6708471d182a0a58adbffaa48447026976d928f9a55f1eb026bcdf98f8cd9" +
        "faff4f9ab537705c020005f2efd2"
    ) ?? []
    static let batch2 = Hex.decode(
        "b1020000000000000385000000000000000700000002000004761b75040064024f4b3b50ca20e7ed8ee02bfb5b7f6e70" +
        "c01ea612428e918d03e283d9c08387ecc154cda6784c774819180d91dd5c4da7d93f1992998c9715d3282e2d1896d2fa" +
        "d0b9d8e487de3c3a44db92e16421aa23597717a100fda4bcdcd3f17b01b0650bf9ee285aa38a1b4ce52b516f1b5e8de7" +
        "77be6e8368749854e7be7e63cd60a3ca38b820dadf130b5be480f31618de7d4cf820f9fb03941e517bc85e955276db4a" +
        "848ffacac4a097bcc02f266558e1b01875eb95143405010000000000909fa150378a93f694340331d207a2d410480c4c" +
        "2c6c1c5c3c7c02422262125232720a4a2a6a1a5a3a7a06462666165636760e4e2e6e1e5e3e7e01412161115131710949" +
        "296919593979054525651555c41d420a958984d332521e1e1e724000702b104c33c7adf829f052ebd97783c82fe62971" +
        "4cd826ee360163a2250f5a6e061eea375f3708891d1d736d0d7ffdb821c456c7528b5ec067e3e276a31679f5abfbd6a8" +
        "13ad83846cb9512c56ace124ee900467a9fa5bc77fb90a58ca2c2ab14cb8b05266009519ea2d127e95f6d40a0471d2fa" +
        "4c2be05a3892515566b869e8df7edee6c7d8570eeac20894e6b5bcc75f637c0b11b3d1e58afd3323652bbafc868ac91a" +
        "1a6559ac49656f72cdc24df2560aacc748fdee5187e4d8f5351e3a7068cc8222ede76b41a141ee7bced90d33e36e1012" +
        "33e1ea28ab34784afb6e36166f5ef66d89282143f87f96f8ef94764f5f7bef6c40064234eeae9cb22f859b2d25ff072a" +
        "18054d1dbcb461e6dd985ed45e78b03a68bd43cac168884dde3eeb47a1763cc71281c9f6d0c2b9013996860672bbd86d" +
        "9ea254a8aeea31ee7b4e387bd350fac173a216fd556d32a5eee1312fd7c9bdccffde33d12d3be3d59be32a93df5f410e" +
        "8cad77d3780ee77efd9ab51d67a527f7b429653cfbaca9fc175a35ec8303d8a80caa1d01b7a461641a3b0452da27ddf6" +
        "e772b97dd4b1e6cb82fadfad08f7e1b5597cea382cfbb73e9c1de82771c2a65369a1c475aa5fe2b483bf2d909bd73cd2" +
        "6019558b3321ff58a8a01201156a0a5568b53706d6cf354ae6d39beae228ac6e753445b5df361fc90315872848a132e6" +
        "9107723db275b737645e6174ae97d031b5b14552bc2ee57e66a6ba290c150347e580000000000020d249d4552be4ab6f" +
        "e80fcd70b0b09fe721af77dc3ec8c0812d8584b2ddc3e86c72543b4e884c36c808e5375a621498fb2b71e651585e1b10" +
        "7017a3b11f939a1eee8ce1c0daaafd88c790f933b61f684e5a5b3c8fe8cf2cf675b1ffa6b112a76e1001220f23d2d920" +
        "ee2c"
    ) ?? []
    static let headerHash = Hash32(hex: "213a5a86b78d467a23d70b4fe0c7d5ec4b1205434302e08f61d413912d9a96a2") ?? .zero
    static let block8Hash = Hash32(hex: "e3c2a3f53ddf7822e1f11e6a4eb615a0a47714a24322ff8c88fe8298e2a71eab") ?? .zero
    static let merkle1 = Hash32(hex: "4fb80213aab1440a62695cc80925ddb87e23872e562726104eca166cf89a09bf") ?? .zero
    static let merkle3 = Hash32(hex: "92dd263645cfb2d2232b0b2005fbf3ee6cc612f654524fd7a082c3b6f3c1d2c3") ?? .zero
    static let proof3Index2 = [Hash32(hex: "0000000000000000000000000000000000000000000000000000000000000000") ?? .zero, Hash32(hex: "66df5b898d4dffc2df22b15ddf9c9fb0bca2d7038c1547e518bd4daca32d4dc7") ?? .zero]

    static let leaves = (0..<3).map { Keccak256.hash(Array("w\($0)".utf8)) }

    @Test func merkleRootsAndProofsMatch() throws {
        #expect(MerkleTree.root(leaves: Array(Self.leaves.prefix(1))) == Self.merkle1)
        #expect(MerkleTree.root(leaves: Self.leaves) == Self.merkle3)
        #expect(try MerkleTree(leaves: Self.leaves).proof(index: 2) == Self.proof3Index2)
        #expect(MerkleTree.verify(root: Self.merkle3, leaf: Self.leaves[2], index: 2, proof: Self.proof3Index2))
    }

    @Test func headerAndReceiptMatch() throws {
        let header = try BlockHeader(rlp: Self.header)
        #expect(header.encoded == Self.header)
        #expect(header.hash == Self.headerHash)
        #expect(header.number == 7)
        #expect(header.timestamp == 1_750_000_001_750)
        #expect(header.baseFee == 1_000_000_007)
        #expect(header.sequencerSignature?.compactBytes == Array(1...64) + [1])

        let receipt = try Receipt(rlp: Self.receipt)
        #expect(receipt == Receipt(succeeded: true, cumulativeGasUsed: 63_000, gasUsed: 21_000, logs: [
            Log(address: try #require(Address(bytes: [UInt8](repeating: 0xAA, count: 20))),
                topics: [Keccak256.hash(Array("Transfer".utf8))], data: [0xCA, 0xFE]),
        ]))
        #expect(receipt.encoded == Self.receipt)
    }

    @Test func batchesFromTheOtherImplementationDecode() throws {
        let stored = try BatchDecoder(expectedChainID: 901).decode(Self.batch0)
        #expect(stored.blocks.map(\.header.number) == [7, 8])
        #expect(stored.blocks[0].header.encoded == Self.header)
        #expect(stored.blocks[1].hash == Self.block8Hash)
        #expect(stored.blocks.map(\.transactions.count) == [2, 2])
        // The transactions are real ones from the shared vectors, kept byte for byte.
        for raw in stored.blocks.flatMap(\.transactions) { #expect(throws: Never.self) { try Transaction.decode(raw: raw) } }
        // Stored batches have no compressor in the way: Keel's bytes are the same bytes.
        #expect(try BatchEncoder(codec: .none).encode(stored) == Self.batch0)

        for bytes in [Self.batch1, Self.batch2] {
            #expect(try BatchDecoder().decode(bytes) == stored)
        }
        #expect(try BatchDecoder().header(of: Self.batch1).codec == .zlib)
        #expect(try BatchDecoder().header(of: Self.batch2).codec == .brotli)
    }
}
