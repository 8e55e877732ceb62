/// One dispute game in words, as `keel status` and `keel disputes list` show it: `game 3 on batch 7:
/// bisection 0…512, proposer owes, until L1 41, challenger 0x… until L1 39, bond 100 wei`, then how it
/// ended once it has.
public enum DisputeSummary {
    /// `game` as the settlement layer's `game.list` or `game.show` answers it.
    public static func line(_ game: [String: Any]) -> String {
        func side(_ name: String) -> String {
            let info = game[name] as? [String: Any]
            return "\(info?["owes"] as? Bool == true ? "owes, " : "")until L1 \(info?["deadline"] ?? "?")"
        }
        var text = "game \(game["id"] ?? "?") on batch \(game["batch"] ?? "?"): \(game["phase"] ?? "?") \(game["lo"] ?? "?")…\(game["hi"] ?? "?"), "
            + "proposer \(side("proposer")), challenger \(game["challenger_address"] ?? "?") \(side("challenger")), bond \(game["bond"] ?? "?") wei"
        if let outcome = game["outcome"] { text += ", outcome \(outcome)" + (game["ended_by"].map { " by \($0)" } ?? "") }
        return text
    }
}
