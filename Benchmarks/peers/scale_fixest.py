#!/usr/bin/env python3
"""fixest on the problems larger than memory of issue 16, beside Steppe's out-of-core fit.

Takes a column store written by `steppe bench --problem ppml --out-of-core --store FILE.h5`
(PPML, flow ~ log_dist + push1 + push2 | origin + destination, clustered by origin),
writes it once as CSV beside the store (with h5py, a million rows at a time), and times in
one run:
  - R's fixest: data.table::fread, then fepois with 2 threads (setFixest_nthreads), in one
    Rscript under /usr/bin/time (peak memory of the whole process) and under a cap on its
    address space (--memory-cap-gb, default 20 of this machine's 24), so that a fit that
    needs more memory than the machine has fails with R's "cannot allocate" instead of
    swapping the machine to a halt;
  - Steppe: `steppe fit STORE --out-of-core` with the same model (the whole command under
    /usr/bin/time), whose coefficients are compared with fixest's.
fixest is not in Debian and is not installed by any script of this project; when
`library(fixest)` fails, the script says so and times Steppe alone. CONTRIBUTING.md tells
how to install fixest by hand on this machine.

Usage, from the repository root:
  python3 Benchmarks/peers/scale_fixest.py /tmp/ppml1e7.h5 [--steppe .build-release/release/steppe]
"""
import argparse, json, os, re, subprocess, sys, time

from run_peers import fixest_available   # beside this script

FORMULA = "flow ~ log_dist + push1 + push2 | origin + destination"

R_SCRIPT = r"""
suppressMessages({library(data.table); library(fixest)})
setFixest_nthreads(%(threads)d); setDTthreads(%(threads)d)
t0 <- Sys.time(); d <- fread("%(csv)s"); t1 <- Sys.time()
m <- fepois(%(formula)s, d, cluster = ~origin)
t2 <- Sys.time()
cat(sprintf("READ %%.3f\nFIT %%.3f\nITER %%d\n", as.numeric(t1 - t0, units = "secs"), as.numeric(t2 - t1, units = "secs"), m$iterations))
for (k in names(coef(m))) cat(sprintf("COEF %%s %%.17g %%.17g\n", k, coef(m)[[k]], se(m)[[k]]))
cat(sprintf("VERSION %%s\n", as.character(packageVersion("fixest"))))
"""


def python_with_h5py():
    for exe in ("/usr/bin/python3", sys.executable):
        if subprocess.run([exe, "-c", "import h5py"], capture_output=True).returncode == 0:
            return exe
    sys.exit("h5py is needed to read the store (Debian python3-h5py, or pip install h5py)")


def store_to_csv(store, csv):
    if os.path.exists(csv):
        return
    code = r"""
import sys, h5py, numpy as np
store, csv = sys.argv[1], sys.argv[2]
with h5py.File(store, "r") as f, open(csv + ".part", "w") as out:
    names = [n.decode() if isinstance(n, bytes) else n for n in f["column_names"][()]]
    kinds = [k.decode() if isinstance(k, bytes) else k for k in f["column_kinds"][()]]
    n = int(f.attrs["rows"])
    levels = {j: np.array([l.decode() if isinstance(l, bytes) else l for l in f["levels"][str(j)][()]], dtype=object)
              for j, k in enumerate(kinds) if k == "text"}
    out.write(",".join(names) + "\n")
    step = 1 << 20
    for start in range(0, n, step):
        stop = min(n, start + step)
        cols = []
        for j, k in enumerate(kinds):
            v = f["columns"][str(j)][start:stop]
            cols.append(levels[j][v] if k == "text" else np.char.mod("%.17g", v))
        out.write("\n".join(",".join(row) for row in zip(*cols)) + "\n")
import os; os.rename(csv + ".part", csv)
"""
    t = time.time()
    subprocess.run([python_with_h5py(), "-c", code, store, csv], check=True)
    print(f"wrote {csv} from the store in {time.time() - t:.1f} s", file=sys.stderr)


def timed(command, cap_gb=None):
    """Runs command under /usr/bin/time -v (and ulimit -v when capped): (stdout, stderr, peak GB, wall s, status)."""
    shell = " ".join(f"'{c}'" for c in command)
    if cap_gb:
        shell = f"ulimit -v {int(cap_gb * 1024 * 1024)}; exec {shell}"
    t = time.time()
    p = subprocess.run(["/usr/bin/time", "-v", "bash", "-c", shell], capture_output=True, text=True)
    wall = time.time() - t
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return p.stdout, p.stderr, (int(peak.group(1)) / 1024 / 1024 if peak else float("nan")), wall, p.returncode


def run_fixest(csv, threads, cap_gb):
    script = R_SCRIPT % dict(threads=threads, csv=csv, formula=FORMULA)
    out, err, peak, wall, status = timed(["Rscript", "-e", script], cap_gb)
    if status != 0:
        why = [l for l in err.splitlines() if "Error" in l or "cannot allocate" in l or "Killed" in l]
        return dict(failed=True, status=status, peak_gb=peak, wall=wall, why=" ".join(why[:3]) or err.strip().splitlines()[-1:])
    r = dict(failed=False, peak_gb=peak, wall=wall, coef={})
    for line in out.splitlines():
        k, _, rest = line.partition(" ")
        if k in ("READ", "FIT"):
            r[k.lower()] = float(rest)
        elif k == "ITER":
            r["iterations"] = int(rest)
        elif k == "VERSION":
            r["version"] = rest
        elif k == "COEF":
            name, b, s = rest.split()
            r["coef"][name] = (float(b), float(s))
    return r


def run_steppe(steppe, store):
    out, err, peak, wall, status = timed([steppe, "fit", store, "--out-of-core", "-m", "ppml", "-f", FORMULA,
                                          "--vcov", "cluster:origin", "--format", "json"])
    if status != 0:
        return dict(failed=True, why=err.strip())
    model = json.loads(out)["models"][0]
    coef = {c["term"]: (c["estimate"], c["stdError"]) for c in model["coefficients"]}
    return dict(failed=False, peak_gb=peak, wall=wall, coef=coef, iterations=model.get("iterations"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store")
    ap.add_argument("--steppe", default=".build-release/release/steppe")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-cap-gb", type=float, default=20)
    ap.add_argument("--skip-steppe", action="store_true")
    args = ap.parse_args()
    steppe = None if args.skip_steppe else run_steppe(args.steppe, args.store)
    if steppe:
        print(f"Steppe out of core: {steppe['wall']:.1f} s in all, peak {steppe['peak_gb']:.2f} GB" if not steppe["failed"]
              else f"Steppe failed: {steppe['why']}")
    if not fixest_available():
        print("fixest is not installed (library(fixest) fails): skipped. See CONTRIBUTING.md, 'Measuring against fixest'.")
        return
    csv = os.path.splitext(args.store)[0] + ".csv"
    store_to_csv(args.store, csv)
    f = run_fixest(csv, args.threads, args.memory_cap_gb)
    if f["failed"]:
        print(f"fixest failed (exit {f['status']}) after {f['wall']:.1f} s at a peak of {f['peak_gb']:.2f} GB under a "
              f"{args.memory_cap_gb:g} GB cap: {f['why']}")
        return
    print(f"fixest {f.get('version')}: fread {f['read']:.1f} s, fepois {f['fit']:.1f} s ({f['iterations']} iterations), "
          f"{f['wall']:.1f} s in all, peak {f['peak_gb']:.2f} GB")
    if steppe and not steppe["failed"]:
        worst = max(abs(steppe["coef"][k][0] - b) / max(abs(b), 1e-300) for k, (b, _) in f["coef"].items())
        worst_se = max(abs(steppe["coef"][k][1] - s) / s for k, (_, s) in f["coef"].items())
        print(f"largest relative difference, Steppe vs fixest: coefficients {worst:.1e}, standard errors {worst_se:.1e}")


if __name__ == "__main__":
    main()
