import Foundation
import KeelABI
import KeelCore
import KeelKernel
import KeelPluginTesting
import Testing

/// ABI 1.x keeps its promise: a plugin built against an older minor header loads on this kernel,
/// which reads nothing past the plugin's `struct_size`; a newer minor is refused; a 1.1 plugin reads
/// flags and Keccak through the host table.
@Suite struct ABIVersionTests {
    static let header10 = TestProcess.repositoryRoot + "/Tests/Fixtures/abi-1.0"
    static let header11 = TestProcess.repositoryRoot + "/Tests/Fixtures/abi-1.1"
    static let headerCurrent = TestProcess.repositoryRoot + "/Sources/KeelABI/include"

    /// `sizeof` of the descriptor and the six tables as a C compiler lays them out with `include`'s header.
    func cSizes(include: String) throws -> [Int] {
        let folder = try FixtureLibraries.temporaryFolder("abi-sizes")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = folder + "/sizes.c"
        try """
        #include "keel_plugin.h"
        #include <stdio.h>
        int main(void) {
            printf("%zu %zu %zu %zu %zu %zu %zu\\n", sizeof(keel_plugin_descriptor), sizeof(keel_execution_table),
                   sizeof(keel_da_table), sizeof(keel_proof_table), sizeof(keel_gpu_table), sizeof(keel_sequencer_table),
                   sizeof(keel_bridge_table));
            return 0;
        }
        """.write(toFile: source, atomically: true, encoding: .utf8)
        let built = try TestProcess.run("cc", ["-I", include, source, "-o", folder + "/sizes"])
        try #require(built.status == 0, "\(built.output)")
        let ran = try TestProcess.run(folder + "/sizes", [])
        return ran.standardOutput.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
    }

    func kernelSizes(minor: Int) -> [Int] {
        [ABIVersion.descriptorSizes[minor]] + [.execution, .da, .proof, .gpu, .sequencer, .bridge].map { ABIVersion.tableSizes($0)[minor] }
    }

    @Test func theKernelsSizesForEachMinorAreThoseOfThatMinorsHeader() throws {
        #expect(ABIVersion.currentMinor == 2)
        #expect(try cSizes(include: Self.header10) == kernelSizes(minor: 0))
        #expect(try cSizes(include: Self.header11) == kernelSizes(minor: 1))
        #expect(try cSizes(include: Self.headerCurrent) == kernelSizes(minor: 2))
    }

    @Test func theRefusalCodesAreTheHeadersCodes() {
        #expect(TransactionRefusal.nonceTooLow.rawValue == UInt32(KEEL_REFUSAL_NONCE_TOO_LOW))
        #expect(TransactionRefusal.nonceTooHigh.rawValue == UInt32(KEEL_REFUSAL_NONCE_TOO_HIGH))
        #expect(TransactionRefusal.nonceMax.rawValue == UInt32(KEEL_REFUSAL_NONCE_MAX))
        #expect(TransactionRefusal.feeBelowBaseFee.rawValue == UInt32(KEEL_REFUSAL_FEE_BELOW_BASE_FEE))
        #expect(TransactionRefusal.tipAboveFeeCap.rawValue == UInt32(KEEL_REFUSAL_TIP_ABOVE_FEE_CAP))
        #expect(TransactionRefusal.insufficientFunds.rawValue == UInt32(KEEL_REFUSAL_INSUFFICIENT_FUNDS))
        #expect(TransactionRefusal.intrinsicGas.rawValue == UInt32(KEEL_REFUSAL_INTRINSIC_GAS))
        #expect(TransactionRefusal.blockGasExhausted.rawValue == UInt32(KEEL_REFUSAL_BLOCK_GAS_EXHAUSTED))
        #expect(TransactionRefusal.gasLimitTooHigh.rawValue == UInt32(KEEL_REFUSAL_GAS_LIMIT_TOO_HIGH))
        #expect(TransactionRefusal.chainID.rawValue == UInt32(KEEL_REFUSAL_CHAIN_ID))
        #expect(TransactionRefusal.signature.rawValue == UInt32(KEEL_REFUSAL_SIGNATURE))
        #expect(TransactionRefusal.unsupportedType.rawValue == UInt32(KEEL_REFUSAL_UNSUPPORTED_TYPE))
        #expect(TransactionRefusal.malformed.rawValue == UInt32(KEEL_REFUSAL_MALFORMED))
        #expect(TransactionRefusal.depositOrder.rawValue == UInt32(KEEL_REFUSAL_DEPOSIT_ORDER))
        #expect(TransactionRefusal.featureRule.rawValue == UInt32(KEEL_REFUSAL_FEATURE_RULE))
        #expect(TransactionRefusal.other.rawValue == UInt32(KEEL_REFUSAL_OTHER))
        #expect(TransactionRefusal(code: 77) == .other)
        #expect(TransactionRefusal.allCases.filter(\.mayLaterSucceed) == [.nonceTooHigh, .feeBelowBaseFee, .blockGasExhausted])
    }

    @Test func theFixtureBuiltAgainstTheABI10HeaderLoads() throws {
        let folder = try FixtureLibraries.temporaryFolder("abi-1.0")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = try TestProcess.compileCPlugin(FixtureLibraries.fixtureSource, to: "libkeel-da-fixture.so", in: folder, include: Self.header10)
        let library = try PluginLibrary.open(path).get()
        #expect(library.abiMinor == 0)
        let client = DAClient(try PluginUnderTest.create(path: path, configJSON: "{}", dataDirectory: folder))
        let commitment = try client.submit([1, 2, 3])
        #expect(try client.retrieve(commitment) == [1, 2, 3])
    }

    /// An execution table of ABI 1.0 (56 bytes) followed in memory by a non-NULL pointer where 1.1's
    /// `genesis` would be: a kernel reading past `struct_size` would take it for the hook.
    @Test func aFunctionPastAnOlderPluginsTableIsAbsent() throws {
        let folder = try FixtureLibraries.temporaryFolder("abi-1.0-exec")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = folder + "/old_execution.c"
        try """
        #include "keel_plugin.h"
        #include <stdlib.h>
        static keel_status refuse(void) { return KEEL_ERR_UNSUPPORTED; }
        static void *create(const keel_host *h, const char *c, keel_error *e) { (void)h; (void)c; (void)e; return calloc(1, 8); }
        static void destroy(void *i) { free(i); }
        typedef keel_status (*any_fn)(void);
        static const struct { keel_execution_table table; void *after; } layout = {
            { .struct_size = sizeof(keel_execution_table),
              .validate_tx = (void *)refuse, .get_account = (void *)refuse, .begin_block = (void *)refuse,
              .execute_tx = (void *)refuse, .end_block = (void *)refuse, .call = (void *)refuse },
            (void *)refuse };
        static const keel_plugin_descriptor descriptor = {
            .magic = KEEL_PLUGIN_MAGIC, .abi_major = KEEL_ABI_MAJOR, .abi_minor = KEEL_ABI_MINOR,
            .struct_size = sizeof(keel_plugin_descriptor), .kind = KEEL_KIND_EXECUTION, .name = "old", .version = "1.0.0",
            .toolchain = "cc", .capabilities = "", .create = create, .destroy = destroy, .table = &layout.table };
        const keel_plugin_descriptor *keel_plugin_entry_v1(void) { return &descriptor; }
        """.write(toFile: source, atomically: true, encoding: .utf8)
        let path = try TestProcess.compileCPlugin(source, to: "libkeel-execution-old.so", in: folder, include: Self.header10)
        let library = try PluginLibrary.open(path).get()
        #expect(library.abiMinor == 0)
        let client = ExecutionClient(try PluginUnderTest.create(path: path, configJSON: "{}", dataDirectory: folder))
        #expect(!client.hasGenesisHook)
        #expect(try client.accountKey([UInt8](repeating: 0xAA, count: 20)) == nil)
        try client.writeGenesis(GenesisSpec(), state: MemoryState())
        let funded = GenesisSpec(alloc: [(Address(hex: "0x00000000000000000000000000000000000000aa")!, 5)])
        #expect {
            try client.writeGenesis(funded, state: MemoryState())
        } throws: { error in
            (error as? PluginCallError)?.message == "the plugin has no genesis hook (it was built for ABI 1.0), so it cannot write the 1 "
                + "accounts of `genesis.alloc`; rebuild it against ABI 1.1 or remove `genesis.alloc`"
        }
    }

    @Test func aPluginOfANewerMinorIsRefusedWithTheReason() throws {
        let folder = try FixtureLibraries.temporaryFolder("abi-1.3")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = try FixtureLibraries.compile("libkeel-da-fixture.so", in: folder, defines: ["FIXTURE_ABI_MINOR=3"])
        guard case .failure(let refusal) = PluginLibrary.open(path) else {
            Issue.record("a plugin for ABI 1.3 was accepted by a 1.2 kernel")
            return
        }
        #expect(refusal.reason == "built for ABI 1.3, newer than this kernel's ABI 1.2 — upgrade keel, or rebuild the plugin against ABI 1.2")
    }

    @Test func aPluginOfABI11ReadsFlagsAndKeccakThroughTheHost() throws {
        let folder = try FixtureLibraries.temporaryFolder("abi-1.1-flags")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let alice = RolloutBucket.bucket(flag: "fixture-rollout", subject: "alice")
        let bob = RolloutBucket.bucket(flag: "fixture-rollout", subject: "bob")
        try #require(alice != bob)
        let share = max(alice, bob)   // the subject with the lower bucket is in, the other out
        let flags = try FeatureFlags(definitions: [
            FlagDefinition(name: "fixture-consensus", rule: .consensus(activateAtHeight: 10)),
            FlagDefinition(name: "fixture-rollout", rule: .rollout(basisPoints: share, subject: .client)),
        ], dataDirectory: folder + "/flags", minimumLead: 10)
        let path = try FixtureLibraries.compile("libkeel-da-fixture.so", in: folder, defines: ["FIXTURE_READS_FLAGS"])
        let library = try PluginLibrary.open(path).get()
        let services = HostServices(dataDirectory: folder, chainID: 901, flags: flags, log: { _, _, _ in })
        let client = DAClient(try PluginInstance(library: library, configJSON: "{}", services: services))
        let aliceIn = alice < share ? 1 : 0
        #expect(try client.health().detail == "active@9=0 active@10=1 alice=\(aliceIn) bob=\(1 - aliceIn) unknown=0 keccak=4e03657a")

        let withoutFlags = DAClient(try PluginInstance(library: library, configJSON: "{}",
                                                       services: HostServices(dataDirectory: folder, chainID: 901, log: { _, _, _ in })))
        #expect(try withoutFlags.health().detail == "active@9=0 active@10=0 alice=0 bob=0 unknown=0 keccak=4e03657a")
    }
}
