import Testing
@testable import SteppeReport

/// Number display: the same strings R's formatC / sprintf give for these values (fixed
/// decimals, rounding half away from zero on the decimal value, 3-digit scientific).
@Suite("SteppeReport: number formatting")
struct ReportNumberTests {
    @Test("fixed decimals inside [1e-3, 1e6), scientific outside, as sprintf")
    func format() {
        // sprintf("%.4f", x) in R and C for the fixed cases; "%.2e" for the scientific ones.
        let cases: [(Double, Int, String)] = [
            (0.32692919534562687, 4, "0.3269"), (-9.8818, 4, "-9.8818"), (29792.0512, 2, "29792.05"),
            (0.001, 4, "0.0010"), (999_999.4, 1, "999999.4"), (1_000_000, 4, "1.00e+06"),
            (0.000999, 4, "9.99e-04"), (-1.234e-7, 4, "-1.23e-07"), (0, 4, "0.0000"), (0, 0, "0"),
            (2.5, 0, "3"), (-2.5, 0, "-3"), (12345678901234, 0, "12345678901234"),
        ]
        for (x, digits, expected) in cases {
            #expect(ReportNumber.format(x, digits: digits) == expected, "\(x) with \(digits) digits")
        }
        #expect(ReportNumber.format(.nan) == "NA")
        #expect(ReportNumber.format(.infinity) == "Inf" && ReportNumber.format(-.infinity) == "-Inf")
    }

    @Test("a negative number that rounds to zero shows no minus sign")
    func negativeZero() {
        #expect(ReportNumber.fixed(-0.00004, 4) == "0.0000")
        #expect(ReportNumber.fixed(-0.00005, 4) == "-0.0001")
    }

    @Test("thousands separators; significant digits read back as the rounded value")
    func groupedAndSignificant() {
        #expect(ReportNumber.grouped(1_234_567) == "1,234,567")
        #expect(ReportNumber.grouped(-1_000) == "-1,000")
        #expect(ReportNumber.grouped(999) == "999")
        #expect(ReportNumber.significant(0.1 + 0.2, 10) == "0.3")
        #expect(ReportNumber.significant(123_456_789_012, 10) == "123456789000")
        #expect(ReportNumber.significant(-2.0 / 3.0, 10) == "-0.6666666667")
        #expect(ReportNumber.scientific(9.996e-5, 3) == "1.00e-04")
    }

    @Test("stars at 0.01, 0.05 and 0.1, as fixest's etable")
    func stars() {
        #expect(RegressionTable.stars(0.0099) == "***")
        #expect(RegressionTable.stars(0.01) == "**")
        #expect(RegressionTable.stars(0.049) == "**")
        #expect(RegressionTable.stars(0.05) == "*")
        #expect(RegressionTable.stars(0.1) == "")
        #expect(RegressionTable.stars(.nan) == "")
    }
}
