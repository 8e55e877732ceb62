import ArgumentParser
import Foundation

/// A failure the user can act on: printed to standard error as it is, exit status 1.
struct UserError: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}

/// Prints `error` for the user and turns it into exit status 1.
func failForUser(_ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    return ExitCode(1)
}

/// Prints a line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
