import Foundation
import SteppeData
import SteppeModels
import SteppeTestFixtures

/// This target's fixtures (Tests/SteppeModelsTests/Fixtures), and the NIST files of the
/// numerics tests, read where they are.
let Fixtures = FixtureDirectory(target: "SteppeModelsTests")
let NumericsFixtures = FixtureDirectory(target: "SteppeNumericsTests")

func relativeDifference(_ a: Double, _ b: Double) -> Double {
    a == b ? 0 : abs(a - b) / max(abs(b), 1e-300)
}
