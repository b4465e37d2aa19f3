// The umbrella module: `import Steppe` brings in the four user-facing modules.
//
//     import Steppe
//     let table = try CSVReader.read(path: "flows.csv")
//     let fit = try Estimator.fit(table, formula: "flow ~ log(dist) | origin + destination", model: .ppml)
//     print(RegressionTable.make([fit]).render(.text))
//
// Each module can also be imported alone (SteppeNumerics for least squares and
// distributions without the rest).
@_exported import SteppeNumerics
@_exported import SteppeData
@_exported import SteppeModels
@_exported import SteppeReport
