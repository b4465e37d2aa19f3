#!/usr/bin/env python3
"""Times whole runs, start to printed table, of Steppe and of R's fixest on the peers' files.

Issue 17's fifth target: from process start to the printed regression table (start, read
the CSV, fit, print), `steppe fit FILE -f FORMULA -m MODEL --vcov ...` at least 2× faster
than `Rscript` running `library(fixest)`, `data.table::fread`, `feols`/`fepois` with the same
standard errors and `print`. Both sides use 2 threads (fixest's `setFixest_nthreads(2)`,
data.table's `setDTthreads(2)`; Steppe and OpenBLAS use the machine's cores). The file is in
the page cache for every run (read once before each). Wall time is the median of
--repetitions runs after one warm-up; peak memory is the child's maximum resident set
(`wait4`; the data are generated in a child process, so that the peak does not start
from this script's). The data are run_peers.py's seeded files (generated when absent).

Usage, from the repository root:
  python3 Benchmarks/peers/end_to_end.py --steppe .build-release/release/steppe
  python3 Benchmarks/peers/end_to_end.py --only ppml --repetitions 7
fixest is not in Debian; without it the fixest side is skipped with a message (CONTRIBUTING.md,
'Measuring against fixest', tells how to install it by hand).
"""
import argparse, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run_peers  # noqa: E402  (the problems, their data and the fixest check)

# Each problem: the Steppe arguments after the file, and the R call that fits the same model.
PROBLEMS = {
    "ppml": (["-m", "ppml", "-f", "flow ~ log_dist + push1 + push2 | origin + destination", "--vcov", "cluster:origin"],
             'fepois(flow ~ log_dist + push1 + push2 | origin + destination, d, vcov = ~origin)'),
    "panel": (["-m", "ppml", "-f", "trade ~ agreement + tariff + border | exporter_year + importer_year + pair", "--vcov", "cluster:pair"],
              'fepois(trade ~ agreement + tariff + border | exporter_year + importer_year + pair, d, vcov = ~pair)'),
    "glm": (["-m", "poisson", "-f", "y ~ " + " + ".join(f"x{j}" for j in range(1, 11)), "--vcov", "iid"],
            'fepois(y ~ ' + " + ".join(f"x{j}" for j in range(1, 11)) + ', d, vcov = "iid")'),
    "ols_1e6x20_formula": (["-m", "ols", "-f", "y ~ " + " + ".join(f"x{j}" for j in range(1, 21)), "--vcov", "hetero"],
                           'feols(y ~ ' + " + ".join(f"x{j}" for j in range(1, 21)) + ', d, vcov = "hetero")'),
}

R_PROGRAM = ('suppressMessages({library(data.table); library(fixest)}); setFixest_nthreads(2); setDTthreads(2); '
             'd <- fread(commandArgs(TRUE)[1]); m <- %s; print(m)')

def timed(command):
    """Wall seconds and peak resident bytes of one run; raises with the last stderr line on failure."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    err = child.stderr.read().decode(errors="replace").strip()
    child.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(err.splitlines()[-1] if err else "failed")
    return seconds, usage.ru_maxrss * 1024

def generated(data):
    """The problem's CSV, generated in a child process: a child's peak resident set starts
    from its parent's at the fork, so this process never holds the generator's arrays."""
    program = f"import sys; sys.path.insert(0, {HERE!r}); import run_peers; print(run_peers.generate({data!r}, 1.0))"
    return subprocess.run([sys.executable, "-c", program], check=True, capture_output=True, text=True).stdout.strip()

def median_run(command, path, repetitions):
    runs = []
    for i in range(repetitions + 1):
        run_peers.warm(path)
        runs.append(timed(command))
    runs = sorted(runs[1:])
    return runs[len(runs) // 2], [round(s, 3) for s, _ in runs]

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repetitions", type=int, default=5)
    ap.add_argument("--only", default="", help="comma-separated problems: " + ",".join(PROBLEMS))
    ap.add_argument("--steppe", default=os.path.join(run_peers.ROOT, ".build", "release", "steppe"))
    args = ap.parse_args()
    if not os.path.exists(args.steppe):
        subprocess.check_call(["swift", "build", "-c", "release", "--product", "steppe"], cwd=run_peers.ROOT)
    have_fixest = run_peers.fixest_available()
    if not have_fixest:
        print("fixest: skipped, library(fixest) fails (see CONTRIBUTING.md, 'Measuring against fixest')")
    for name, (steppe_args, r_call) in PROBLEMS.items():
        if args.only and name not in args.only.split(","):
            continue
        path = generated(run_peers.PROBLEMS[name].get("data", name))
        print(f"\n{name}  ({os.path.basename(path)}, {os.path.getsize(path) / 1e6:.0f} MB), end to end, median of {args.repetitions}")
        (s_time, s_peak), s_all = median_run([args.steppe, "fit", path] + steppe_args, path, args.repetitions)
        print(f"  steppe fit        {s_time:7.3f} s   peak {s_peak / 1e6:6.0f} MB   runs {s_all}")
        if not have_fixest:
            continue
        (r_time, r_peak), r_all = median_run(["Rscript", "-e", R_PROGRAM % r_call, path], path, args.repetitions)
        print(f"  Rscript + fixest  {r_time:7.3f} s   peak {r_peak / 1e6:6.0f} MB   runs {r_all}")
        print(f"  steppe / fixest   {s_time / r_time:7.2f}   (issue 17: at most 0.5)")

if __name__ == "__main__":
    main()
