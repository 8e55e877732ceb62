// The child process of the state store's crash test (Tests/KeelCoreTests/StateCrashTests.swift).
//
//   keel-state-writer PATH [SEED]
//
// Opens the state store at PATH and commits blocks of random updates until it is killed, printing
// each committed version on its own line as soon as `apply` returns.
import Foundation
import KeelCore
import KeelState

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: keel-state-writer PATH [SEED]\n".utf8))
    exit(2)
}
var generator = SplitMix64(seed: arguments.count >= 3 ? UInt64(arguments[2]) ?? 1 : 1)

do {
    let store = try StateStore(path: arguments[1], options: StateStoreOptions(cacheNodeLimit: 2_000, retainedVersions: 8))
    var version = (store.latestVersion ?? 0) + 1
    while true {
        var updates: [(key: [UInt8], value: [UInt8]?)] = []
        for _ in 0..<Int(generator.next() % 400 + 1) {
            let key = Array("account-\(generator.next() % 20_000)".utf8)
            let roll = generator.next() % 10
            let value: [UInt8]? = roll == 0 ? nil : (0..<Int(roll * 7)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            updates.append((key, value))
        }
        try store.apply(version: version, updates: updates)
        // Unbuffered: the line is out before the next block starts.
        FileHandle.standardOutput.write(Data("\(version)\n".utf8))
        version += 1
    }
} catch {
    FileHandle.standardError.write(Data("keel-state-writer: \(error)\n".utf8))
    exit(1)
}
