import SteppeModels

/// The `--vcov` flag's spellings, parsed into the library's `CovarianceType`.
enum CovarianceArgument {
    /// `iid` (also classical, standard), `hetero` (robust, hc1), `hc0`…`hc3`, `cluster:A`
    /// or `cluster:A,B` (up to four variables; `=` works in place of `:`).
    static func parse(_ text: String) throws(CommandFailure) -> CovarianceType {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch t.lowercased() {
        case "iid", "classical", "standard": return .iid
        case "hetero", "robust", "hc1": return .heteroskedastic(.hc1)
        case "hc0": return .heteroskedastic(.hc0)
        case "hc2": return .heteroskedastic(.hc2)
        case "hc3": return .heteroskedastic(.hc3)
        default: break
        }
        guard t.lowercased().hasPrefix("cluster") else {
            throw CommandFailure("unknown covariance '\(text)' (use iid, hetero, hc0, hc1, hc2, hc3, or cluster:A[,B])")
        }
        let rest = t.dropFirst("cluster".count)
        guard rest.first == ":" || rest.first == "=" else {
            throw CommandFailure("--vcov cluster needs the cluster variables, as cluster:origin or cluster:origin,destination")
        }
        let names = rest.dropFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty, names.count <= 4 else {
            throw CommandFailure("--vcov cluster takes one to four variables, got '\(rest.dropFirst())'")
        }
        return .cluster(names)
    }
}
