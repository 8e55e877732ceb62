import Foundation
import KeelABI
import KeelKernel
@testable import KeelPluginKit
import KeelPluginTesting
import Testing

/// Each kind's Swift protocol, exported through KeelPluginKit's C descriptor and table, checked by the
/// kernel's loader and driven through the kernel's clients by that kind's conformance suite: every
/// function of every table crosses the C boundary here.
@Suite struct SDKExportTests {
    /// A test process hosts several plugin types, so each gets a `create` of its own.
    nonisolated(unsafe) static let descriptors: [String: UnsafeRawPointer] = [
        "da": PluginExport.make(MemoryDA.self, kind: KEEL_KIND_DA,
                                create: { ExportedPlugin.create(type: MemoryDA.self, host: $0, config: $1, error: $2) },
                                table: { DAExport.table(providerID: MemoryDA.providerID) }),
        "execution": PluginExport.make(NonceVM.self, kind: KEEL_KIND_EXECUTION,
                                       create: { ExportedPlugin.create(type: NonceVM.self, host: $0, config: $1, error: $2) },
                                       table: { ExecutionExport.table() }),
        "proof": PluginExport.make(KeyedHashProof.self, kind: KEEL_KIND_PROOF,
                                   create: { ExportedPlugin.create(type: KeyedHashProof.self, host: $0, config: $1, error: $2) },
                                   table: { ProofExport.table(hasDisputes: KeyedHashProof.hasDisputes) }),
        "gpu": PluginExport.make(SwiftGPU.self, kind: KEEL_KIND_GPU,
                                 create: { ExportedPlugin.create(type: SwiftGPU.self, host: $0, config: $1, error: $2) },
                                 table: { GPUExport.table() }),
        "sequencer": PluginExport.make(KeyedSequencer.self, kind: KEEL_KIND_SEQUENCER,
                                       create: { ExportedPlugin.create(type: KeyedSequencer.self, host: $0, config: $1, error: $2) },
                                       table: { SequencerExport.table() }),
        "bridge": PluginExport.make(MemoryBridge.self, kind: KEEL_KIND_BRIDGE,
                                    create: { ExportedPlugin.create(type: MemoryBridge.self, host: $0, config: $1, error: $2) },
                                    table: { BridgeExport.table(isDevelopmentL1: MemoryBridge.isDevelopmentL1, keepsChangeLog: MemoryBridge.keepsChangeLog, answersCalls: MemoryBridge.answersCalls) }),
    ]

    func instance(_ kind: String, config: String = "{}") throws -> PluginInstance {
        let descriptor = try #require(Self.descriptors[kind])
        let library = try PluginLibrary.inProcess(descriptor: descriptor, label: "in-process \(kind)").get()
        let services = HostServices(dataDirectory: FileManager.default.temporaryDirectory.path, chainID: 901, log: { _, _, _ in })
        return try PluginInstance(library: library, configJSON: config, services: services)
    }

    @Test func theDescriptorCarriesTheSwiftDeclarations() throws {
        let library = try instance("gpu").library
        #expect(library.kind == .gpu)
        #expect(library.name == "swift-reference")
        #expect(library.version.description == "0.1.0")
        #expect(library.capabilities == ["thread-safe", "gpu:ntt:goldilocks", "gpu:merkle:keccak256"])
        #expect(library.toolchain.hasPrefix("swift"))
    }

    @Test func aDAProviderPassesItsSuite() throws {
        #expect(DAConformance.run(DAClient(try instance("da", config: #"{"max_blob_bytes": 300000}"#))).map(\.description) == [])
    }

    @Test func anExecutionVMPassesItsSuiteAndKeepsStateThroughTheHost() throws {
        let client = ExecutionClient(try instance("execution"))
        #expect(ExecutionConformance.run(client).map(\.description) == [])
        let state = MemoryState()
        let account = [UInt8](repeating: 0xAB, count: 20)
        let block = BlockContext(chainID: 901, number: 1, timestamp: 0, gasLimit: 10, baseFeePerGas: 7, feeRecipient: account, parentHash: [])
        let outcome = try client.execute([0x4B] + account, block: block, blockGasUsed: 0, state: state)
        #expect(outcome.l2ToL1Message == [0x57] + account)
        #expect(try client.account(account, state: state).nonce == 1)
        #expect(try client.validate([0x4B] + account, state: state).nonce == 1)
        #expect(try client.endBlock(block, blockGasUsed: 1, state: state) == 7)
    }

    @Test func aProofSystemPassesItsSuite() throws {
        #expect(ProofConformance.run(ProofClient(try instance("proof", config: #"{"secret": "s3"}"#))).map(\.description) == [])
    }

    @Test func aGPUBackendPassesItsSuite() throws {
        #expect(GPUConformance.run(GPUClient(try instance("gpu"))).map(\.description) == [])
    }

    @Test func aSequencerPassesItsSuite() throws {
        let key = #"{"key": "0x2291d8cdc310411e7ec27378a661c935187c07e4d5636e9bc3c400b27244b8cd"}"#
        #expect(SequencerConformance.run(SequencerClient(try instance("sequencer", config: key))).map(\.description) == [])
    }

    @Test func aBridgePassesItsSuite() throws {
        #expect(BridgeConformance.run(BridgeClient(try instance("bridge"))).map(\.description) == [])
    }

    @Test func aThrownConfigErrorReachesTheKernelWithItsPath() throws {
        do {
            _ = try instance("proof")
            Issue.record("a missing secret was accepted")
        } catch let error as PluginCallError {
            #expect(error.function == "create")
            #expect(error.configPath == "secret")
            #expect(error.message == "missing required key `secret` (a string)")
        }
        do {
            _ = try instance("da", config: #"{"max_blob": 1}"#)
            Issue.record("an unknown key was accepted")
        } catch let error as PluginCallError {
            #expect(error.configPath == "max_blob")
            #expect(error.message == "unknown key `max_blob`; known keys: max_blob_bytes")
        }
    }

    @Test func aThrownErrorCrossesWithItsCodeAndMessage() throws {
        let client = DAClient(try instance("da"))
        #expect {
            _ = try client.retrieve([0xF1] + [UInt8](repeating: 0, count: 32))
        } throws: { error in
            let failure = error as? PluginCallError
            return failure?.codeName == "not found" && failure?.message == "no such blob" && failure?.plugin == "da memory"
        }
    }
}
