/// Where a server listens, from a URL such as `http://127.0.0.1:3100` or `http://da.internal/altda`
/// (a path is a prefix of every request path, as OP's Alt-DA client joins it).
public struct HTTPEndpoint: Sendable, Equatable {
    /// A host name or an IP address (IPv6 without brackets).
    public let host: String
    public let port: UInt16
    /// `""` or a path without a trailing slash, e.g. `/altda`.
    public let basePath: String

    /// The URL as messages show it: `http://HOST:PORT/BASE`.
    public var url: String { "http://\(authority)\(basePath)" }

    /// The `Host` header: the host (bracketed if IPv6) and the port unless it is 80.
    public var authority: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }

    /// Parses `text`; the error says what is wrong with it.
    public init(parsing text: String) throws(EndpointError) {
        let lowered = text.lowercased()
        if lowered.hasPrefix("https://") {
            throw EndpointError("https is not supported: this plugin speaks plain HTTP/1.1; reach a TLS server through a local proxy and give its http:// URL")
        }
        guard lowered.hasPrefix("http://") else {
            throw EndpointError("must be an http:// URL such as http://127.0.0.1:3100, not \(text.isEmpty ? "an empty string" : text)")
        }
        let rest = text.dropFirst("http://".count)
        guard !rest.contains(where: { $0 == "?" || $0 == "#" || $0 == "@" || $0 == " " }) else {
            throw EndpointError("must be http://HOST[:PORT][/PATH] without user, query or fragment, not \(text)")
        }
        let authority = rest.prefix { $0 != "/" }
        var path = String(rest.dropFirst(authority.count))
        while path.hasSuffix("/") { path.removeLast() }
        let hostPart: Substring
        let portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw EndpointError("has an IPv6 address without its closing `]`: \(text)") }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { throw EndpointError("has text after the IPv6 address that is not a port: \(text)") }
            portPart = after.isEmpty ? nil : after.dropFirst()
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        } else {
            hostPart = authority
            portPart = nil
        }
        guard !hostPart.isEmpty else { throw EndpointError("has no host: \(text)") }
        var port: UInt16 = 80
        if let portPart {
            guard let value = UInt16(portPart), value > 0 else {
                throw EndpointError("has a port that is not a number from 1 to 65535: \(text)")
            }
            port = value
        }
        self.host = String(hostPart)
        self.port = port
        self.basePath = path
    }
}

/// Why a URL cannot be used.
public struct EndpointError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
