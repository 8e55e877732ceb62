import KeelJSONRPC

/// The bearer-token check of the `admin_*` methods (DESIGN.md §7: never open without the token).
enum AdminAuthorization {
    /// Refuses unless `header` is `Bearer <token>` with the node's admin token. The comparison takes
    /// the same time wherever the first differing byte is, so timing does not reveal the token.
    static func check(header: String?, token: String, method: String) throws(RPCError) {
        guard !token.isEmpty else {
            throw RPCError.unauthorized("\(method) is disabled: this node has no admin token")
        }
        guard let header, let presented = bearerToken(header) else {
            throw RPCError.unauthorized("\(method) needs the admin token: send the header `Authorization: Bearer TOKEN` with the token in DATA_DIR/admin.token")
        }
        guard constantTimeEqual(Array(presented.utf8), Array(token.utf8)) else {
            throw RPCError.unauthorized("\(method) refused: the bearer token is not this node's admin token; use the token in DATA_DIR/admin.token")
        }
    }

    /// The token of `Bearer <token>` (the scheme in any case, spaces around the token ignored).
    static func bearerToken(_ header: String) -> Substring? {
        let trimmed = header.drop { $0 == " " }
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        let token = trimmed.dropFirst(7).drop { $0 == " " }
        let end = token.lastIndex { $0 != " " }.map { token.index(after: $0) } ?? token.startIndex
        let result = token[..<end]
        return result.isEmpty ? nil : result
    }

    /// Equal bytes, in a time that depends only on the lengths.
    static func constantTimeEqual(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference: UInt8 = presented.count == expected.count ? 0 : 1
        for index in expected.indices {
            difference |= (index < presented.count ? presented[index] : 0) ^ expected[index]
        }
        return difference == 0
    }
}
