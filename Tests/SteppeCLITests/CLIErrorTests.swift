import Foundation
import Testing

/// Bad input at the command line: one line on stderr naming the problem, a non-zero
/// status, nothing on stdout, never a crash.
@Suite("steppe command line: bad input")
struct CLIErrorTests {
    static let cases: [(arguments: [String], status: Int32, message: String)] = [
        (["fit", "missing.csv", "-f", "y ~ x"], 1, "steppe: error: missing.csv: cannot open: No such file or directory"),
        (["fit", "../Fixtures", "-f", "y ~ x"], 1, "steppe: error: ../Fixtures: is a directory, not a CSV file"),
        (["fit", "empty.csv", "-f", "y ~ x"], 1, "steppe: error: empty.csv: the file is empty (no header row)"),
        (["fit", "ragged.csv", "-f", "flow ~ dist"], 1, "steppe: error: ragged.csv:3: 3 fields where the header has 4"),
        (["fit", "unterminated.csv", "-f", "flow ~ dist"], 1, "steppe: error: unterminated.csv:3:5: unterminated quoted field (a \" opened here is never closed)"),
        (["fit", "duplicate.csv", "-f", "flow ~ 1"], 1, "steppe: error: duplicate.csv:1:6: duplicate column name 'flow' in the header"),
        (["fit", "text_in_numeric.csv", "-f", "flow ~ log(dist)"], 1, "steppe: error: text_in_numeric.csv:3:7: 'far' in column 'dist' is not a number (the column is declared numeric)"),
        (["fit", "flows.csv", "-f", "flow ~ log(distance)"], 1, "steppe: error: unknown column 'distance' in the formula (columns: origin, destination, flow, dist, push)"),
        (["fit", "flows.csv", "-f", "flow ~ logg(dist)"], 1, "steppe: error: formula error at character 8: unknown function 'logg' (known: C, I, abs, exp, log, log1p, sqrt)"),
        (["fit", "flows.csv", "-f", "flow ~ log(dist"], 1, "steppe: error: formula error at character 16: expected ')' to close log(, found the end of the formula"),
        (["fit", "flows.csv", "-f", "flow ~ dist", "-m", "probit"], 64, "steppe: error: The value 'probit' is invalid for '-m <model>'. Use one of: ols, ppml, poisson, gaussian, gamma, negbin."),
        (["fit", "flows.csv", "-f", "flow ~ dist", "--vcov", "sandwich"], 1, "steppe: error: unknown covariance 'sandwich' (use iid, hetero, hc0, hc1, hc2, hc3, or cluster:A[,B])"),
        (["fit", "flows.csv", "-f", "flow ~ dist", "--format", "pdf"], 64, "steppe: error: The value 'pdf' is invalid for '--format <format>'. Use one of: text, markdown, latex, csv, json, html."),
        (["fit", "flows.csv", "-f", "flow ~ dist", "--vcov", "cluster"], 1, "steppe: error: --vcov cluster needs the cluster variables, as cluster:origin or cluster:origin,destination"),
        (["fit", "flows.csv", "-f", "flow ~ dist", "--vcov", "robustest"], 1, "steppe: error: unknown covariance 'robustest' (use iid, hetero, hc0, hc1, hc2, hc3, or cluster:A[,B])"),
        (["flows", "--format", "csv"], 1, "steppe: error: CSV holds one table and this command prints 2 (1: ESTIMATED flows (not observed): doubly constrained gravity, d^-1, Kazakhstan regions 2023; 2: How the estimates depend on the distance decay β (d^-β)); choose one with --table 1 to --table 2"),
        (["sensitivity", "curve", "--term", "log(income)"], 1, "steppe: error: --term: the model has no term 'log(income)'; its terms are (Intercept), log(income_2020_kzt_month), crude_birth_rate, log(dist_main_km), C(year)[T.2023]"),
        (["sensitivity", "curve", "--vary", "colour=red"], 1, "steppe: error: --vary: unknown dimension 'colour' (use fe, model, controls or sample)"),
        (["sensitivity", "inputs", "--interval", "income_2020_kzt_month*=1.2:0.8"], 1, "steppe: error: --interval 'income_2020_kzt_month*=1.2:0.8': the low end 1.2 is above the high end 0.8"),
        (["sensitivity", "inputs", "--draws", "1"], 1, "steppe: error: --draws must be at least 2, got 1"),
        (["sensitivity", "bootstrap", "--reps", "50"], 1, "steppe: error: --reps must be at least 99, got 50: fewer draws give p-values too coarse to use"),
        (["sensitivity", "bootstrap", "--term", "nosuch"], 1, "steppe: error: the model has no term 'nosuch'; its terms are (Intercept), log(income_2020_kzt_month), crude_birth_rate, log(dist_main_km), C(year)[T.2023]"),
        (["sensitivity", "ovb", "--treatment", "nosuch"], 1, "steppe: error: the treatment 'nosuch' is not a term of the model; its terms are log(income_2020_kzt_month), crude_birth_rate, log(dist_main_km), C(year)"),
        (["sensitivity", "ovb", "-m", "ppml", "-f", "departures ~ crude_birth_rate + log(dist_main_km)", "--treatment", "crude_birth_rate"], 1, "steppe: error: ovb is defined for linear models (Cinelli & Hazlett 2020), not ppml: for PPML use -m ols with a log outcome, e.g. \"log(y/exposure) ~ ...\", or steppe sensitivity eba, which takes any estimator"),
        (["sensitivity", "eba", "--k", "0:9"], 1, "steppe: error: --k 9 is too high: with 4 doubtful terms (focus included) at most 3 can join a focus term; use --k 0:3"),
        (["flows", "--table", "3"], 1, "steppe: error: --table 3: this command prints 2 tables; use 1 to 2"),
        (["fit", "flows.csv", "-f", "flow ~ dist", "-o", "/nonexistent-dir/out.txt"], 1, "steppe: error: cannot write output to /nonexistent-dir/out.txt: No such file or directory"),
        (["fit", "flows.csv", "-f", "flow ~ dist", "-o", "."], 1, "steppe: error: cannot write output to .: it is a directory"),
        (["fit", "flows.csv"], 1, "steppe: error: give a model formula with --formula (e.g. --formula \"flow ~ log(dist) | origin + destination\")"),
        (["fit", "no-such-dataset"], 1, "steppe: error: 'no-such-dataset' is neither a file nor a bundled dataset (bundled: italy-areas, kazakhstan-boundaries, kazakhstan-distances, kazakhstan-documents, kazakhstan-migration, kazakhstan-migration-facts, kazakhstan-oblasts, kazakhstan-push-factors, kazakhstan-refugees, korea-interregional, netherlands-corop)"),
        (["fit", "--bogus"], 64, "steppe: error: Unknown option '--bogus'"),
        (["predict", "--change", "income"], 1, "steppe: error: --change 'income' is not COLUMN*=FACTOR, COLUMN+=AMOUNT or COLUMN=VALUE with a finite number"),
        (["predict", "--change", "crude_birth_rate*=2", "--regions", "Atlantis"], 1, "steppe: error: --regions: no row has region = 'Atlantis' (values: Abay, Akmola, Aktobe, Almaty city, Almaty oblast, Astana city, Atyrau, East Kazakhstan, Karaganda, Kostanay, Kyzylorda, Mangystau, North Kazakhstan, Pavlodar, Shymkent city, Turkistan, Ulytau, West Kazakhstan, Zhambyl, Zhetysu)"),
        (["flows", "--year", "2019"], 1, "steppe: error: no annual internal-migration margins for 2019 (available: 2022, 2023)"),
        (["flows", "--from", "Atlantis"], 1, "steppe: error: no region named 'Atlantis' (regions: Abay, Akmola, Aktobe, Almaty oblast, Atyrau, West Kazakhstan, Zhambyl, Zhetysu, Karaganda, Kostanay, Kyzylorda, Mangystau, Pavlodar, North Kazakhstan, Turkistan, Ulytau, East Kazakhstan, Astana city, Almaty city, Shymkent city)"),
        (["flows", "--sweep", "1,two"], 1, "steppe: error: --sweep: 'two' is not a number"),
        (["datasets", "show", "nope"], 1, "steppe: error: no bundled dataset named 'nope' (available: italy-areas, kazakhstan-boundaries, kazakhstan-distances, kazakhstan-documents, kazakhstan-migration, kazakhstan-migration-facts, kazakhstan-oblasts, kazakhstan-push-factors, kazakhstan-refugees, korea-interregional, netherlands-corop)"),
        (["fit", "flows.csv", "-f", "flow ~ log(dist)", "-m", "ppml", "--level", "1.5"], 1, "steppe: error: --level must be between 0 and 1, got 1.5"),
        (["bench", "--problem", "fast"], 64, "steppe: error: The value 'fast' is invalid for '--problem <problem>'. Use one of: all, ols, ols-normal, glm, ppml, panel, demean, csv."),
        (["bench", "--rows", "50"], 1, "steppe: error: --rows must be at least 100, got 50"),
        (["bench", "--data", "flows.csv"], 1, "steppe: error: --data needs --formula (or --least-squares COLUMN)"),
        (["bench", "--data", "flows.csv", "-f", "flow ~ log(dist)", "--read-repetitions", "0"], 1, "steppe: error: --read-repetitions must be at least 1"),
        (["fit", "flows.csv", "-f", "push ~ dist", "-m", "poisson"], 1, "steppe: error: invalid outcome: row 5 of the data has negative value -0.3; poisson models need outcomes ≥ 0"),
        // steppe interaction and steppe indices (issue 13): fixtures od*.csv, four regions in 2020.
        (["interaction", "od_negative.csv", "--cost", "km"], 1, "steppe: error: flows must be finite and not negative: row 9 (East → West: -40)"),
        (["interaction", "od_zero_distance.csv", "--cost", "km"], 1, "steppe: error: power cost needs positive costs (it takes log(cost)), but 1 off the diagonal pair has cost ≤ 0: row 5 (South → East: 0); use --cost-function exponential or fix the distances"),
        (["interaction", "od_no_population.csv", "--cost", "km", "--model", "radiation", "--origin-population", "pop_o", "--destination-population", "pop_d"], 1, "steppe: error: no population in 'pop_o' or 'pop_d' for 1 region in the flows: West"),
        (["interaction", "od.csv", "--coordinates", "od_coordinates_missing.csv"], 1, "steppe: error: od_coordinates_missing.csv has no coordinates for 1 region in the flows: East"),
        (["interaction", "od.csv", "--cost", "miles"], 1, "steppe: error: unknown cost column 'miles' (columns: origin, destination, year, flow, km, pop_o, pop_d)"),
        (["interaction", "od.csv", "--cost", "km", "--flow", "flows"], 1, "steppe: error: unknown flow column 'flows' (columns: origin, destination, year, flow, km, pop_o, pop_d)"),
        (["interaction", "od.csv", "--cost", "km", "--constraint", "triply"], 64, "steppe: error: The value 'triply' is invalid for '--constraint <constraint>'. Use one of: none, production, attraction, doubly."),
        (["interaction", "od.csv", "--cost", "km", "--year", "2019"], 1, "steppe: error: no rows of year 2019 (years in the data: 2020)"),
        (["interaction", "od.csv", "--cost", "km", "--coordinates", "od_coordinates.csv"], 1, "steppe: error: give the distances one way: --cost km or --coordinates od_coordinates.csv, not both"),
        (["interaction", "od_zero_flows.csv", "--cost", "km"], 1, "steppe: error: all 12 flows between the regions are zero: there is nothing to fit"),
        (["interaction", "od.csv", "--cost", "km", "--model", "radiation"], 1, "steppe: error: the radiation model needs populations: give --origin-population and --destination-population (or --origin-vars and --destination-vars)"),
        (["interaction", "od.csv"], 1, "steppe: error: give the cost (distance) column with --cost, or region centres with --coordinates FILE (region, latitude, longitude)"),
        (["indices", "od_negative.csv"], 1, "steppe: error: year 2020: 1 negative flow (data row 9); flows are counts of migrants and cannot be below zero"),
        (["indices", "od_zero_distance.csv", "--distance", "km"], 1, "steppe: error: year 2020: distances between distinct regions must be positive and finite; 1 are not: South → East (0.0)"),
        (["indices", "od.csv", "--populations", "od_populations.csv"], 1, "steppe: error: year 2020: no population for 1 region in the flows: West"),
        (["indices", "od.csv", "--flow", "flows"], 1, "steppe: error: no column 'flows' for --flow (columns: origin, destination, year, flow, km, pop_o, pop_d)"),
        (["indices", "od.csv", "--year", "2019"], 1, "steppe: error: no rows for --year 2019 (years in the data: 2020)"),
        (["indices", "flows.csv", "--year", "2020"], 1, "steppe: error: --year 2020: the data have no 'year' column"),
    ]

    @Test("one line on stderr, non-zero status, nothing on stdout", arguments: cases.indices)
    func oneLineError(_ k: Int) throws {
        let c = Self.cases[k]
        let r = try CLI.run(c.arguments)
        #expect(r.status == c.status, "\(c.arguments): status \(r.status)")
        #expect(r.stdout.isEmpty, "\(c.arguments)")
        #expect(r.stderr == c.message + "\n", "\(c.arguments):\n got      \(r.stderr)\n expected \(c.message)")
    }
}
