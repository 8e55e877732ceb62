/// Runs a client command's body: a `UserError` is printed on standard error as it is (without
/// ArgumentParser's `Error:` prefix, as the other commands print theirs) and exits with status 1.
func reportingUserErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as UserError {
        throw failForUser(error)
    }
}

/// The synchronous form of `reportingUserErrors`.
func reportingUserErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as UserError {
        throw failForUser(error)
    }
}
