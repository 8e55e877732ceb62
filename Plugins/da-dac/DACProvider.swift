import Foundation
import KeelPluginKit

/// da dac: a data availability committee (validium). Each batch goes to every member's
/// `keel dac-member` server; the commitment is `0x04 ‖ certificate`, where the certificate carries
/// the first `threshold` member signatures (in member order) over the batch's hash
/// (docs/plugins/dac.md).
///
/// Thread-safe: an instance holds only immutable values; every call makes its own requests.
final class DACProvider: DAProvider, @unchecked Sendable {
    // @unchecked: every stored property is immutable and Sendable; the class is final.
    static let name = "dac"
    static let version = "1.0.0"
    static let capabilities = ["thread-safe", "da:offchain"]
    static let providerID: UInt8 = 0x04

    let settings: DACSettings
    private let members: [DACMemberClient]
    private let host: PluginHostServices

    var maxBlobSize: UInt64 { settings.maxBlobBytes }

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        settings = try DACSettings(config: config, hostChainID: host.chainID)
        members = settings.members.enumerated().map { DACMemberClient(member: $0.element, position: $0.offset) }
        self.host = host
        if settings.allowsInsecureCommittee && (settings.members.count < 2 || settings.threshold < 2) {
            host.log(.warning, "insecure development committee: \(settings.threshold) of \(settings.members.count) member(s) certify data; never use this on a real chain")
        }
    }

    func submit(_ blob: [UInt8]) throws(PluginError) -> [UInt8] {
        guard UInt64(blob.count) <= settings.maxBlobBytes else {
            throw PluginError(.tooLarge, "the blob is \(blob.count) bytes; this committee takes at most \(settings.maxBlobBytes) (max_blob_bytes)")
        }
        let dataHash = Keccak256.hash(blob)
        let message = DACStoreMessage.hash(chainID: settings.chainID, dataHash: dataHash)
        let until = deadline()
        let gathering = DACSignatureGathering(memberCount: members.count, threshold: settings.threshold)
        let chainID = settings.chainID, timeout = settings.timeoutMilliseconds
        for client in members {
            let expected = client.member.address
            // Every member at once, each on a thread of its own; the gathering decides when to stop waiting.
            DispatchQueue.global().async {
                do {
                    let receipt = try client.store(blob, chainID: chainID, timeoutMilliseconds: timeout)
                    if receipt.dataHash != dataHash {
                        gathering.record(client.position, .failed("stored the blob under hash \(receipt.dataHash), not \(dataHash)"))
                    } else if let signer = DACCertificate.recover(receipt.signature, message: message), signer == expected {
                        gathering.record(client.position, .signed(receipt.signature))
                    } else {
                        let signer = DACCertificate.recover(receipt.signature, message: message)
                        gathering.record(client.position, .failed("signed as \(signer.map { "\($0)" } ?? "no key") instead of its registered address \(expected) "
                                                                  + "(wrong key file, or another chain id than \(chainID)?)"))
                    }
                } catch {
                    gathering.record(client.position, .failed("\(error)"))
                }
            }
        }
        switch gathering.wait(until: until) {
        case .certified(let signers, let signatures):
            host.increment("batches_certified_total")
            let certificate = DACCertificate(dataHash: dataHash, signers: signers, signatures: signatures)
            return [Self.providerID] + certificate.encoded(memberCount: members.count)
        case .unavailable(let failures, let signed, let atDeadline):
            host.increment("certifications_failed_total")
            let list = describe(failures)
            let (n, k) = (members.count, settings.threshold)
            let what = atDeadline
                ? "the committee did not certify the batch: \(signed) of the \(k) signatures needed arrived within \(settings.timeoutMilliseconds) ms"
                : "the committee cannot certify the batch: \(failures.count) of \(n) members failed, so fewer than the \(k) signatures needed can arrive"
            throw PluginError(.unavailable, "\(what). \(list). Start the members that are down, or let the node fall back to the next DA provider")
        }
    }

    func retrieve(_ commitment: [UInt8]) throws(PluginError) -> [UInt8] {
        guard commitment.first == Self.providerID else {
            throw PluginError(.invalidArgument, "not a dac commitment: it starts with \(commitment.first.map { Hex.encode([$0]) } ?? "nothing"), not 0x04")
        }
        let certificate = try DACCertificate(bytes: commitment.dropFirst(), memberCount: members.count)
        try certificate.verify(members: settings.members.map(\.address), threshold: settings.threshold, chainID: settings.chainID)
        // The signers promised to hold the blob: ask them first, then the others.
        let order = certificate.signers + members.indices.filter { !certificate.signers.contains($0) }
        var reasons: [String] = []
        var missing = 0, corrupt = 0
        for position in order {
            let client = members[position]
            do {
                return try client.fetch(certificate.dataHash, maxBytes: Int(settings.maxBlobBytes), timeoutMilliseconds: settings.timeoutMilliseconds)
            } catch {
                if error.isMissing { missing += 1 }
                if error.isCorrupt { corrupt += 1 }
                reasons.append("member \(position) (\(client.member.url)): \(error)")
            }
        }
        let summary = reasons.joined(separator: "; ")
        if missing == members.count {
            throw PluginError(.notFound, "no member holds the batch \(certificate.dataHash): \(summary)")
        }
        if missing + corrupt == members.count {
            throw PluginError(.corrupt, "no member gave the batch \(certificate.dataHash) intact: \(summary)")
        }
        throw PluginError(.unavailable, "cannot fetch the batch \(certificate.dataHash) from the committee: \(summary)")
    }

    func health() -> DAHealth {
        let started = Date()
        let until = deadline()
        let gathering = DACSignatureGathering(memberCount: members.count, threshold: settings.threshold)
        let timeout = settings.timeoutMilliseconds
        for client in members {
            DispatchQueue.global().async {
                do {
                    try client.health(timeoutMilliseconds: timeout)
                    gathering.record(client.position, .signed([]))
                } catch {
                    gathering.record(client.position, .failed("\(error)"))
                }
            }
        }
        let outcome = gathering.wait(until: until)
        let latency = UInt64(Date().timeIntervalSince(started) * 1000)
        switch outcome {
        case .certified:
            return DAHealth(healthy: true, latencyMilliseconds: latency,
                            detail: "ok: at least \(settings.threshold) of \(members.count) members answer")
        case .unavailable(let failures, _, _):
            return DAHealth(healthy: false, latencyMilliseconds: latency,
                            detail: "\(failures.count) of \(members.count) members do not answer and \(settings.threshold) must: \(describe(failures))")
        }
    }

    /// "member 1 (http://…): connection refused (is the member running?); member 2 (…): …"
    private func describe(_ failures: [(position: Int, reason: String)]) -> String {
        failures.map { "member \($0.position) (\(settings.members[$0.position].url)): \($0.reason)" }.joined(separator: "; ")
    }

    /// The deadline of one round of requests, for the waiting thread (each request has its own, as long).
    private func deadline() -> Date {
        Date().addingTimeInterval(Double(settings.timeoutMilliseconds) / 1000)
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: DACProvider.self) }
