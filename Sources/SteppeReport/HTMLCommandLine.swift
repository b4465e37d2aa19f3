import Foundation

/// The command line a report prints: arguments quoted for a POSIX shell, so that a reader
/// can paste it and run the same analysis.
enum HTMLCommandLine {
    /// The characters an argument may hold and still need no quotes in `sh`, `bash` or
    /// `zsh` (the set Python's `shlex.quote` leaves bare, plus `+`, `,` and `:`).
    static let bare = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-".unicodeScalars)

    /// `arguments` joined by spaces, each as it is when it needs no quotes, else in single
    /// quotes with every `'` written `'\''` (the only quoting in which the shell expands
    /// nothing: `$`, `` ` ``, `\`, `!`, `*` and `~` all stay literal). The empty argument
    /// is `''`.
    static func quoted(_ arguments: [String]) -> String {
        arguments.map(quote).joined(separator: " ")
    }

    static func quote(_ argument: String) -> String {
        if !argument.isEmpty && argument.unicodeScalars.allSatisfy(bare.contains) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
