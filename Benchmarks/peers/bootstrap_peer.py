#!/usr/bin/env python3
"""Times `steppe sensitivity bootstrap` against wildboottest, and the score bootstrap
against one fit, in one run.

1. Wild cluster bootstrap: 100,000 rows, 50 clusters of unequal size, 10 regressors plus
   an intercept (seeded numpy, PCG64 seed 21, written to data/bootstrap_wild.csv), B = 9,999
   Rademacher draws, WCR, one tested term (x1). Targets: Steppe under a second, and at
   least 10x faster than wildboottest (WildboottestCL, bootstrap_type "11", the fast
   algorithm, numba-compiled; timed warm, after one run that compiles it). Steppe is timed
   end to end as a process (start-up, reading the CSV, the fit, the bootstrap and its
   interval by test inversion); `steppe fit` on the same file and `steppe --version` are
   timed too, so the bootstrap's own share and the start-up are the differences.
2. Score bootstrap of PPML with origin and destination fixed effects (1,000 levels each)
   on 1e6 rows, data/ppml_1.csv of run_peers.py (generated here when missing, with its
   generator), B = 999, clustered by origin, every term, no intervals (--no-ci: each
   interval bound of the null-imposed score bootstrap costs about 25 refits). Target: under
   10x the time of one `steppe fit` of the same model.

Each Steppe figure is the best of --repetitions (default 7) process runs, interleaved with
the runs it is compared with, wildboottest's warm runs (alone on arrays in memory, and end
to end from the CSV) among them; the score bootstrap and its fit: half as many. Run
from the repository root after `swift build -c release --product steppe` (or give --steppe PATH):
  python3 Benchmarks/peers/bootstrap_peer.py [--repetitions 3] [--skip-score]
Needs numpy, pandas, statsmodels and wildboottest (pip install wildboottest).
"""
import argparse, json, os, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(HERE, "data")


def wild_data():
    import numpy as np, pandas as pd
    path = os.path.join(DATA, "bootstrap_wild.csv")
    if os.path.exists(path):
        return path
    os.makedirs(DATA, exist_ok=True)
    rng = np.random.default_rng(21)
    n, k, g = 100_000, 10, 50
    sizes = rng.dirichlet(np.full(g, 2.0))
    cluster = rng.choice(g, size=n, p=sizes)
    x = rng.standard_normal((n, k)) + 0.3 * rng.standard_normal((g, k))[cluster]
    beta = 0.1 * np.arange(1, k + 1) / k
    beta[0] = 0   # the null holds for x1
    y = 1 + x @ beta + 0.5 * rng.standard_normal(g)[cluster] + rng.standard_normal(n)
    df = pd.DataFrame(x, columns=[f"x{j + 1}" for j in range(k)])
    df.insert(0, "y", y)
    df["cl"] = [f"g{c:02d}" for c in cluster]
    df.to_csv(path, index=False, float_format="%.17g")
    return path


def wildboottest_runner(path, B):
    """A function that runs wildboottest once and returns (bootstrap alone, end to end,
    p, t): the bootstrap on arrays in memory, and end to end from pandas.read_csv of the
    same file through the design arrays to the p-value. The first call compiles numba."""
    import numpy as np, pandas as pd
    from wildboottest.wildboottest import WildboottestCL

    def run():
        start = time.perf_counter()
        df = pd.read_csv(path)
        X = np.column_stack([np.ones(len(df))] + [df[f"x{j + 1}"].to_numpy() for j in range(10)])
        y = df["y"].to_numpy()
        cluster = pd.factorize(df["cl"], sort=True)[0].astype(np.int64)
        R = np.zeros(X.shape[1]); R[1] = 1
        ready = time.perf_counter()
        wb = WildboottestCL(X=X, Y=y, cluster=cluster, R=R, B=B, seed=1)
        wb.get_scores(bootstrap_type="11", impose_null=True)
        wb.get_weights(weights_type="rademacher")
        wb.get_numer(); wb.get_denom(); wb.get_tboot(); wb.get_vcov(); wb.get_tstat()
        wb.get_pvalue(pval_type="two-tailed")
        end = time.perf_counter()
        return end - ready, end - start, float(wb.pvalue), float(np.squeeze(wb.t_stat))

    return run


def time_process(arguments, repetitions):
    times, out = [], ""
    for _ in range(repetitions):
        start = time.perf_counter()
        r = subprocess.run(arguments, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if r.returncode != 0:
            sys.exit("failed: " + " ".join(arguments) + "\n" + r.stderr)
        out = r.stdout
    return statistics.median(times), out


def ppml_data():
    path = os.path.join(DATA, "ppml_1.csv")
    if not os.path.exists(path):
        sys.path.insert(0, HERE)
        import run_peers
        run_peers.generate("ppml", 1)
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steppe", default=os.path.join(ROOT, ".build", "release", "steppe"))
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--skip-score", action="store_true")
    args = parser.parse_args()
    steppe = args.steppe
    env_note = "OPENBLAS_NUM_THREADS=%s" % os.environ.get("OPENBLAS_NUM_THREADS", "(unset)")
    core = subprocess.run([steppe, "bench", "--problem", "ols", "--rows", "1000", "--repetitions", "1", "--no-peak", "--format", "json"],
                          capture_output=True, text=True)
    try:
        machine = json.loads(core.stdout).get("machine", {})
    except json.JSONDecodeError:
        machine = {}
    print(f"BLAS core: {machine.get('blasCore', '?')}, threads: {machine.get('threads', '?')}, {env_note}")

    path = wild_data()
    formula = "y ~ " + " + ".join(f"x{j + 1}" for j in range(10))
    wildboottest = wildboottest_runner(path, 9999)
    cold = wildboottest()[0]
    boot_args = [steppe, "sensitivity", "bootstrap", path, "-f", formula, "--cluster", "cl", "--term", "x1",
                 "--reps", "9999", "--format", "json"]
    fit_args = [steppe, "fit", path, "-f", formula, "--vcov", "cluster:cl"]
    boots, fits, starts, peers = [], [], [], []
    for _ in range(args.repetitions):   # interleaved, so that the machine's drift hits every side alike
        peers.append(wildboottest())
        boots.append(time_process(boot_args, 1))
        fits.append(time_process(fit_args, 1)[0])
        starts.append(time_process([steppe, "--version"], 1)[0])
    best = min(boots)
    boot, out = best[0], best[1]
    fit, start = min(fits), min(starts)
    warm, warm_e2e = min(r[0] for r in peers), min(r[1] for r in peers)
    p_wb, t_wb = peers[0][2], peers[0][3]
    term = json.loads(out)["results"]["terms"][0]
    print("wild cluster bootstrap, 100,000 rows, 50 clusters, 10 regressors, B = 9,999 (WCR, x1); best of "
          f"{args.repetitions} runs each, interleaved (wildboottest warm):")
    print(f"  wildboottest 0.3.2: bootstrap alone {warm:.3f} s warm ({cold:.3f} s with numba compilation); end to end "
          f"(pandas.read_csv + arrays + bootstrap) {warm_e2e:.3f} s; t = {t_wb:.6f}, p = {p_wb:.4f}")
    print(f"  steppe (process: start, read, fit, bootstrap, interval by test inversion, JSON): {boot:.3f} s; "
          f"steppe fit alone {fit:.3f} s; process start-up (steppe --version) {start:.3f} s; "
          f"t = {term['tStatistic']:.6f}, p = {term['pValue']:.4f}, interval [{term['confLow']:.5f}, {term['confHigh']:.5f}]")
    own = max(boot - fit, 1e-3)
    print(f"  steppe's bootstrap itself (process minus the fit process): {own:.3f} s; read + fit + start-up {fit:.3f} s "
          f"({100 * fit / boot:.0f}% of the process)")
    print(f"  wildboottest / steppe: {warm_e2e / boot:.1f}x end to end (both read the CSV), {warm / own:.1f}x on the bootstrap "
          f"alone, {warm / boot:.1f}x wildboottest's bootstrap alone against the whole steppe process; "
          "target: steppe < 1 s and >= 10x")

    if args.skip_score:
        return
    ppml = ppml_data()
    f2 = "flow ~ log_dist + push1 + push2 | origin + destination"
    fit_runs, score_runs = [], []
    for _ in range(max(1, args.repetitions // 2)):   # interleaved; each run is seconds
        fit_runs.append(time_process([steppe, "fit", ppml, "-m", "ppml", "-f", f2, "--vcov", "cluster:origin"], 1)[0])
        score_runs.append(time_process([steppe, "sensitivity", "bootstrap", ppml, "-m", "ppml", "-f", f2, "--cluster", "origin",
                                        "--reps", "999", "--no-ci", "--format", "json"], 1))
    fit2 = min(fit_runs)
    score, out2 = min(score_runs)
    print("score bootstrap, PPML, 1e6 rows, origin and destination fixed effects (1,000 levels each), B = 999, 3 terms:")
    print(f"  steppe fit: {fit2:.3f} s; steppe sensitivity bootstrap --type score --no-ci: {score:.3f} s "
          f"= {score / fit2:.1f}x one fit (target < 10x)")
    for t in json.loads(out2)["results"]["terms"]:
        print(f"    {t['term']}: score statistic {t['tStatistic']:.4f}, p = {t['pValue']:.4f}")


if __name__ == "__main__":
    main()
