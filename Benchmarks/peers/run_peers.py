#!/usr/bin/env python3
"""Times Steppe and its peers on the same problems, in one run.

For each problem (least squares on 1e6 × 20 and on 1e5 × 200 regressors plus intercept,
targets at most 0.15 s and 3× numpy, and at most 0.3 s; a Poisson GLM on 1e6 × 10, at most
0.7 s; PPML with origin and destination fixed effects on 1e6 pairs of 1,000 origins ×
1,000 destinations, and a structural gravity panel of 200 × 200 pairs × 5 years with three
fixed effects, each at least 3× pyfixest) the script generates the data once with a fixed
seed (numpy's PCG64), writes it as CSV (which both sides read), then times, each in its own
process so that peak memory can be measured:
  numpy.linalg.lstsq, scipy.linalg.lstsq, statsmodels OLS (HC1) and GLM (Poisson),
  pyfixest feols / fepois, R's fixest feols / fepois (data.table::fread, 2 threads; skipped
  with a message when `library(fixest)` fails: fixest is not in Debian, CONTRIBUTING.md
  tells how to install it by hand), and Steppe (`steppe bench --data FILE ...`, release build),
checks that coefficients agree to 1e-6 relative and standard errors to 1e-5, and prints
the ratio Steppe / peer. Results go to stdout and to results.json beside this script.

Usage, from the repository root:
  python3 Benchmarks/peers/run_peers.py                 # the full sizes above (about 10 minutes)
  python3 Benchmarks/peers/run_peers.py --scale 0.1     # a quick run at a tenth of the rows
  python3 Benchmarks/peers/run_peers.py --only ols_1e6x20,ppml
Times are medians of --repetitions runs after one warm-up, fit only (the data are loaded
first); CSV reading is timed separately (pandas.read_csv against Steppe's reader), also the
median of --repetitions reads, with the file in the page cache for both sides (it is read
once before each process starts).
"""
import argparse, json, os, subprocess, sys, textwrap, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(HERE, "data")

def ensure_peers():
    missing = []
    for module in ("numpy", "scipy", "pandas", "statsmodels", "pyfixest"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        print("installing " + " ".join(missing), file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "-r", os.path.join(HERE, "requirements.txt")])

# ---------------------------------------------------------------------------------------
# Problems (seeded) written as CSV

def generate(name, scale):
    import numpy as np, pandas as pd
    path = os.path.join(DATA, f"{name}_{scale:g}.csv")
    if os.path.exists(path):
        return path
    os.makedirs(DATA, exist_ok=True)
    rng = np.random.default_rng({"ols_1e6x20": 11, "ols_1e5x200": 12, "glm": 13, "ppml": 14, "panel": 15}[name])
    if name.startswith("ols"):
        n, p = (1_000_000, 20) if name == "ols_1e6x20" else (100_000, 200)
        n = int(n * scale)
        x = rng.standard_normal((n, p))
        y = 1.0 + x @ (1.0 / np.arange(1, p + 1)) + rng.standard_normal(n)
        df = pd.DataFrame(x, columns=[f"x{j + 1}" for j in range(p)])
        df.insert(0, "y", y)
    elif name == "glm":
        n, p = int(1_000_000 * scale), 10
        x = 0.3 * rng.standard_normal((n, p))
        y = rng.poisson(np.exp(0.5 + x @ (1.0 / np.arange(1, p + 1))))
        df = pd.DataFrame(x, columns=[f"x{j + 1}" for j in range(p)])
        df.insert(0, "y", y.astype(float))
    elif name == "ppml":
        n, levels = int(1_000_000 * scale), 1000
        alpha, gamma = 0.5 * rng.standard_normal(levels), 0.5 * rng.standard_normal(levels)
        push1, push2 = rng.standard_normal(levels), rng.standard_normal(levels)
        o, d = rng.integers(0, levels, n), rng.integers(0, levels, n)
        ld = np.log(50 + 2000 * rng.random(n))
        p1, p2 = push1[o] + 0.1 * rng.standard_normal(n), push2[o] + 0.1 * rng.standard_normal(n)
        mu = np.exp(alpha[o] + gamma[d] - ld + 0.3 * p1 - 0.2 * p2 + 4.9)
        df = pd.DataFrame({"origin": ["r%d" % v for v in o], "destination": ["r%d" % v for v in d],
                           "flow": rng.poisson(mu).astype(float), "log_dist": ld, "push1": p1, "push2": p2})
    elif name == "panel":
        origins = destinations = max(10, int(200 * scale ** 0.5))
        years = 5
        oo, dd, tt = np.meshgrid(np.arange(origins), np.arange(destinations), np.arange(years), indexing="ij")
        oo, dd, tt = oo.ravel(), dd.ravel(), tt.ravel()
        pair = oo * destinations + dd
        pe = 0.5 * rng.standard_normal(origins * destinations)
        oe, de = 0.3 * rng.standard_normal(origins * years), 0.3 * rng.standard_normal(destinations * years)
        start = rng.integers(0, 2 * years, origins * destinations)
        agreement = (tt >= start[pair]).astype(float)
        tariff, border = 0.05 * rng.random(len(oo)), 0.2 * rng.standard_normal(len(oo))
        mu = np.exp(1 + pe[pair] + oe[oo * years + tt] + de[dd * years + tt] + 0.4 * agreement - 2 * tariff + 0.3 * border)
        df = pd.DataFrame({"exporter_year": ["e%d_%d" % (a, b) for a, b in zip(oo, tt)],
                           "importer_year": ["i%d_%d" % (a, b) for a, b in zip(dd, tt)],
                           "pair": ["p%d" % v for v in pair], "trade": rng.poisson(mu).astype(float),
                           "agreement": agreement, "tariff": tariff, "border": border})
    df.to_csv(path, index=False, float_format="%.17g")
    return path

# What each problem fits, for each side.
PROBLEMS = {
    "ols_1e6x20": dict(steppe=["--least-squares", "y"], peers=["numpy", "scipy", "statsmodels_ols", "pyfixest_feols", "fixest_feols"],
                       formula="y ~ " + " + ".join(f"x{j}" for j in range(1, 21))),
    # The same data through a formula, as fixest and pyfixest fit them (the model frame included).
    "ols_1e6x20_formula": dict(data="ols_1e6x20", steppe=["-f", "y ~ " + " + ".join(f"x{j}" for j in range(1, 21)), "-m", "ols", "--vcov", "hetero"],
                               peers=["pyfixest_feols", "fixest_feols"], formula="y ~ " + " + ".join(f"x{j}" for j in range(1, 21))),
    "ols_1e5x200": dict(steppe=["--least-squares", "y"], peers=["numpy", "scipy", "statsmodels_ols"],
                        formula="y ~ " + " + ".join(f"x{j}" for j in range(1, 201))),
    "glm": dict(steppe=["-f", "y ~ " + " + ".join(f"x{j}" for j in range(1, 11)), "-m", "poisson", "--vcov", "iid"],
                peers=["statsmodels_glm", "pyfixest_fepois", "fixest_fepois"], formula="y ~ " + " + ".join(f"x{j}" for j in range(1, 11))),
    "ppml": dict(steppe=["-f", "flow ~ log_dist + push1 + push2 | origin + destination", "-m", "ppml", "--vcov", "cluster:origin"],
                 peers=["pyfixest_fepois", "fixest_fepois"], formula="flow ~ log_dist + push1 + push2 | origin + destination", cluster="origin"),
    "panel": dict(steppe=["-f", "trade ~ agreement + tariff + border | exporter_year + importer_year + pair", "-m", "ppml", "--vcov", "cluster:pair"],
                  peers=["pyfixest_fepois", "fixest_fepois"], formula="trade ~ agreement + tariff + border | exporter_year + importer_year + pair", cluster="pair"),
}

# One peer fit, run in a child process: loads the CSV, fits `repetitions` + 1 times, and
# prints JSON with the median fit time, the coefficients, the standard errors and the
# child's peak RSS.
PEER_CHILD = textwrap.dedent(r'''
    import json, resource, sys, time, warnings
    warnings.filterwarnings("ignore")
    import numpy as np, pandas as pd
    peer, path, formula, cluster, reps = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    reads = []
    for _ in range(reps):
        t0 = time.perf_counter(); df = None; df = pd.read_csv(path); reads.append(time.perf_counter() - t0)
    read = sorted(reads)[len(reads) // 2]
    def run():
        if peer in ("numpy", "scipy"):
            y = df["y"].to_numpy(); X = np.column_stack([np.ones(len(df)), df.drop(columns="y").to_numpy()])
            if peer == "numpy":
                b = np.linalg.lstsq(X, y, rcond=None)[0]
            else:
                import scipy.linalg; b = scipy.linalg.lstsq(X, y, lapack_driver="gelsy")[0]
            return list(b), None
        if peer == "statsmodels_ols":
            import statsmodels.api as sm
            y = df["y"].to_numpy(); X = sm.add_constant(df.drop(columns="y").to_numpy())
            f = sm.OLS(y, X).fit(cov_type="HC1"); return list(f.params), list(f.bse)
        if peer == "statsmodels_glm":
            import statsmodels.api as sm
            y = df["y"].to_numpy(); X = sm.add_constant(df.drop(columns="y").to_numpy())
            f = sm.GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-8); return list(f.params), list(f.bse)
        import pyfixest as pf
        if peer == "pyfixest_feols":
            f = pf.feols(formula, data=df, vcov="hetero"); return list(f.coef().values), list(f.se().values)
        if peer == "pyfixest_fepois":
            vcov = {"CRV1": cluster} if cluster != "-" else "iid"
            f = pf.fepois(formula, data=df, vcov=vcov, fixef_tol=1e-10, iwls_tol=1e-8); return list(f.coef().values), list(f.se().values)
    run()
    times = []
    for _ in range(reps):
        t = time.perf_counter(); b, se = run(); times.append(time.perf_counter() - t)
    times.sort()
    print(json.dumps({"fitSeconds": times[len(times) // 2], "readSeconds": read, "estimates": b, "standardErrors": se,
                      "peakBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
''')

# A fixest fit, run by Rscript in a child process: reads the CSV with fread, fits
# `repetitions` + 1 times with fixest's defaults (2 threads), and prints the same JSON as
# PEER_CHILD (peak memory: VmHWM of /proc/self/status).
FIXEST_CHILD = r'''
args <- commandArgs(TRUE)
peer <- args[1]; path <- args[2]; fml <- as.formula(args[3]); cluster <- args[4]; reps <- as.integer(args[5])
suppressMessages({library(data.table); library(fixest)})
setFixest_nthreads(2); setDTthreads(2)
reads <- numeric(0)
for (i in seq_len(reps)) { t0 <- proc.time()[["elapsed"]]; d <- NULL; d <- fread(path); reads <- c(reads, proc.time()[["elapsed"]] - t0) }
run <- function() {
  if (peer == "fixest_feols") return(feols(fml, d, vcov = "hetero"))
  fepois(fml, d, vcov = if (cluster == "-") "iid" else as.formula(paste0("~", cluster)))
}
m <- run()
times <- numeric(0)
for (i in seq_len(reps)) { t0 <- proc.time()[["elapsed"]]; m <- run(); times <- c(times, proc.time()[["elapsed"]] - t0) }
status <- readLines("/proc/self/status")
peak <- as.numeric(gsub("[^0-9]", "", status[grepl("^VmHWM", status)])) * 1024
num <- function(v) paste(sprintf("%.17g", v), collapse = ",")
cat(sprintf('{"fitSeconds": %.6f, "readSeconds": %.6f, "estimates": [%s], "standardErrors": [%s], "peakBytes": %.0f, "iterations": %d, "version": "%s"}\n',
            median(times), median(reads), num(coef(m)), num(se(m)), peak, if (is.null(m$iterations)) 0L else as.integer(m$iterations),
            as.character(packageVersion("fixest"))))
'''

def fixest_available():
    import shutil
    return shutil.which("Rscript") is not None and subprocess.run(["Rscript", "-e", "library(fixest)"], capture_output=True).returncode == 0

def warm(path):
    """Reads the file once, so that every side reads it from the page cache."""
    with open(path, "rb") as f:
        while f.read(16 << 20):
            pass

def run_peer(peer, path, spec, reps):
    warm(path)
    if peer.startswith("fixest_"):
        if not fixest_available():
            return {"skipped": "fixest is not installed (library(fixest) fails); see CONTRIBUTING.md, 'Measuring against fixest'"}
        command = ["Rscript", "-e", FIXEST_CHILD, peer, path, spec["formula"], spec.get("cluster", "-"), str(reps)]
    else:
        command = [sys.executable, "-c", PEER_CHILD, peer, path, spec["formula"], spec.get("cluster", "-"), str(reps)]
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])

def run_steppe(steppe, path, spec, reps):
    warm(path)
    out = subprocess.run([steppe, "bench", "--data", path, "--repetitions", str(reps), "--read-repetitions", str(reps)] + spec["steppe"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return {"error": out.stderr.strip()}
    document = json.loads(out.stdout)
    return document.get("run", document)   # schema 2 puts the timings under "run"; older builds at the top

def agree(a, b, tol):
    if a is None or b is None:
        return None
    return max(abs(x - y) / max(abs(y), 1e-300) for x, y in zip(a, b)) <= tol, max(abs(x - y) / max(abs(y), 1e-300) for x, y in zip(a, b))

def versions():
    import numpy, scipy, pandas, statsmodels, pyfixest, platform
    return {"python": platform.python_version(), "numpy": numpy.__version__, "scipy": scipy.__version__, "pandas": pandas.__version__,
            "statsmodels": statsmodels.__version__, "pyfixest": pyfixest.__version__,
            "numpy BLAS": next((c.get("name", "") + " " + c.get("version", "") for c in numpy.show_config(mode="dicts")["Build Dependencies"].values()
                                if isinstance(c, dict) and c.get("name")), "?") if hasattr(numpy, "show_config") else "?"}

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the issue's row counts (default 1)")
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated problems: " + ",".join(PROBLEMS))
    ap.add_argument("--steppe", default=os.path.join(ROOT, ".build", "release", "steppe"))
    args = ap.parse_args()
    ensure_peers()
    if not os.path.exists(args.steppe):
        subprocess.check_call(["swift", "build", "-c", "release", "--product", "steppe"], cwd=ROOT)
    results = {"versions": versions(), "scale": args.scale, "problems": {}}
    chosen = [p for p in PROBLEMS if not args.only or p in args.only.split(",")]
    for name in chosen:
        spec = PROBLEMS[name]
        path = generate(spec.get("data", name), args.scale)
        mb = os.path.getsize(path) / 1e6
        steppe = run_steppe(args.steppe, path, spec, args.repetitions)
        entry = {"file": os.path.basename(path), "megabytes": mb, "steppe": steppe, "peers": {}}
        print(f"\n{name}  ({os.path.basename(path)}, {mb:.0f} MB)")
        if "error" in steppe:
            print(f"  steppe FAILED: {steppe['error']}")
            results["problems"][name] = entry
            continue
        print(f"  {'steppe':18s} fit {steppe['fitSeconds']:8.3f} s   read {steppe['readSeconds']:6.2f} s ({mb / steppe['readSeconds']:.0f} MB/s)"
              f"   peak {steppe['peakBytes'] / 1e6:6.0f} MB   {steppe.get('method') or ''}")
        for peer in spec["peers"]:
            r = run_peer(peer, path, spec, args.repetitions)
            entry["peers"][peer] = r
            if "skipped" in r:
                print(f"  {peer:18s} skipped: {r['skipped']}")
                continue
            if "error" in r:
                print(f"  {peer:18s} FAILED: {r['error']}")
                continue
            b = agree(steppe["estimates"], r["estimates"], 1e-6)
            reference = steppe
            if peer == "statsmodels_glm":
                # statsmodels applies no small-sample factor to GLM standard errors; compare
                # with Steppe's --small-sample statsmodels (the default is fixest's (n-1)/(n-K)).
                reference = run_steppe(args.steppe, path, dict(spec, steppe=spec["steppe"] + ["--small-sample", "statsmodels"]), 1)
            # Least-squares runs give classical standard errors; statsmodels and pyfixest use HC1
            # there (the formula runs ask Steppe for HC1 too).
            classical = "--least-squares" in spec["steppe"]
            se = agree(reference.get("standardErrors"), r["standardErrors"], 1e-5) if r.get("standardErrors") and not (classical and peer in ("statsmodels_ols", "pyfixest_feols", "fixest_feols")) else None
            r["coefficientsAgree"], r["standardErrorsAgree"] = b, se
            ratio = steppe["fitSeconds"] / r["fitSeconds"]
            r["ratio"] = ratio
            print(f"  {peer:18s} fit {r['fitSeconds']:8.3f} s   read {r['readSeconds']:6.2f} s ({mb / r['readSeconds']:.0f} MB/s)"
                  f"   peak {r['peakBytes'] / 1e6:6.0f} MB   steppe/peer {ratio:5.2f}   coef {'ok' if b and b[0] else 'DIFFER'} ({b[1]:.1e})"
                  + (f"   se {'ok' if se[0] else 'DIFFER'} ({se[1]:.1e})" if se else ""))
        results["problems"][name] = entry
    with open(os.path.join(HERE, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print("\nversions: " + ", ".join(f"{k} {v}" for k, v in results["versions"].items()))

if __name__ == "__main__":
    main()
