extension InputUncertainty {
    /// The distribution of one estimated flow (or a sum of flows) over the draws.
    public struct FlowSummary: Sendable {
        /// "ORIGIN → DESTINATION", or a group's name.
        public let name: String
        /// Empty for a group.
        public let origin: String
        public let destination: String
        /// The flow at the reported margins and the central β.
        public let estimate: Double
        public let median: Double
        public let q025: Double
        public let q975: Double
        /// Var(E[F | margins]) / Var(F), in [0, 1].
        public let shareFromInputs: Double
        /// Var(E[F | β]) / Var(F), in [0, 1]; 1 − both shares is their interaction.
        public let shareFromDecay: Double
        /// √Var(E[F | margins]) and √Var(E[F | β]).
        public let inputStdDev: Double
        public let decayStdDev: Double
        /// √Var(F).
        public let stdDev: Double

        /// From the draws' (F(M, β), F(M, β′), F(M′, β)).
        init(_ name: (String, String, String), estimate: Double, _ draws: [(joint: Double, otherDecay: Double, otherMargins: Double)]) {
            (self.name, origin, destination) = name
            self.estimate = estimate
            let sorted = draws.map(\.joint).sorted()
            median = SampleQuantile.type7(sorted, 0.5)
            q025 = SampleQuantile.type7(sorted, 0.025)
            q975 = SampleQuantile.type7(sorted, 0.975)
            let margins = Self.janon(draws.map { ($0.joint, $0.otherDecay) })
            let decay = Self.janon(draws.map { ($0.joint, $0.otherMargins) })
            shareFromInputs = margins.share
            shareFromDecay = decay.share
            inputStdDev = margins.partial.squareRoot()
            decayStdDev = decay.partial.squareRoot()
            stdDev = margins.total.squareRoot()
        }

        /// Janon et al. (2014)'s first-order estimator from pairs that share one factor:
        /// partial = mean(y·y′) − m², total = mean((y² + y′²)/2) − m², m = mean((y + y′)/2),
        /// computed about the first value (the index is unchanged by a shift, and identical
        /// draws give exactly 0). partial is clipped to [0, total].
        static func janon(_ pairs: [(Double, Double)]) -> (partial: Double, total: Double, share: Double) {
            let n = Double(pairs.count), c = pairs[0].0
            var m = 0.0, cross = 0.0, squares = 0.0
            for (a, b) in pairs {
                let x = a - c, y = b - c
                m += (x + y) / 2; cross += x * y; squares += (x * x + y * y) / 2
            }
            m /= n
            let total = max(squares / n - m * m, 0)
            let partial = min(max(cross / n - m * m, 0), total)
            return (partial, total, total > 0 ? partial / total : 0)
        }
    }
}
