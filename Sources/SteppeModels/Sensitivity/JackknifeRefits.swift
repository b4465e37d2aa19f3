/// One leave-out refit: the coefficients of the fit's terms on the sample without some
/// rows, or why there are none.
enum LeaveOutRefit: Sendable {
    /// The estimates of the full fit's terms, in its order, and the observations the refit used.
    case estimated([Double], observations: Int)
    /// The refit failed or lost a term; the reason is a sentence.
    case failed(String)

    /// Refits `design.frame` without the positions `leftOut` (into that frame), with the
    /// model's estimator and options but iid standard errors (the refit's covariance is not
    /// used; iid cannot fail where a cluster or HC3 covariance could). Singletons and
    /// separated observations that the removal creates are trimmed by the refit as by any fit.
    /// GLM and PPML refits start from the full fit's fitted means (`StartingMeans`): one
    /// cluster out moves them little, so IRLS needs fewer iterations, and the estimates do
    /// not change beyond the convergence tolerance.
    ///
    /// It fails, with the reason, when the refit throws, when IRLS does not converge, or when
    /// a term of the full fit is not estimable without these rows (collinear or absorbed).
    static func run(_ model: SensitivityModel, design: InfluenceDesign, leavingOut leftOut: [Int]) -> LeaveOutRefit {
        var drop = [Bool](repeating: false, count: design.observations)
        for p in leftOut { drop[p] = true }
        let keep = (0..<design.observations).filter { !drop[$0] }
        guard !keep.isEmpty else { return .failed("no observations are left") }
        let sub = design.frame.restricted(to: keep, report: design.frame.report)
        var options = model.options
        options.covariance = .iid
        if model.model.family != nil && model.model != .negbin { options.startingMeans = StartingMeans(model.fit) }
        let refit: FitResult
        do { refit = try model.refit(sub, options: options) } catch { return .failed("\(error)") }
        guard refit.report.converged else {
            return .failed("IRLS did not converge in \(refit.report.iterations) iterations")
        }
        var estimates: [Double] = []
        estimates.reserveCapacity(model.fit.coefficients.count)
        for c in model.fit.coefficients {
            guard let b = refit.coefficient(c.term)?.estimate else {
                let why = refit.report.droppedTerms.first { $0.term == c.term }.map { " (\($0.reason.rawValue))" } ?? ""
                return .failed("\(c.term) is not estimable without these rows\(why)")
            }
            estimates.append(b)
        }
        return .estimated(estimates, observations: refit.statistics.observations)
    }
}
