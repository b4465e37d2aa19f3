#!/usr/bin/env python3
"""Times `steppe interaction` (a doubly constrained spatial interaction model, power cost)
against PySAL's spint (gravity.Doubly) on the same R x R matrix, in one run.

Data: R regions at seeded random points in a 1,000 km square (numpy PCG64, seed 13),
populations lognormal, flows Poisson with mean exp(a_i + b_j - 1.5 log d_ij) scaled to a
mean of 5 per pair, intrazonal pairs left out: R(R - 1) rows of origin, destination, flow,
dist, written to data/interaction_R.csv. The default R = 1,000 gives 999,000 pairs: one
PPML fit with two fixed effects of 1,000 levels.

Steppe is timed end to end as a process (start-up, reading the CSV, the checks, the fit,
spint's statistics, the tables; --format json), best of --repetitions, and its fit alone
by `steppe bench --data` of the same PPML, so the overhead of the interaction command is
the difference. spint is timed on arrays in memory (Doubly(flows, o, d, dist, 'pow'),
which builds its sparse dummy design and runs spglm's IRLS), once per size in a child
process with its peak memory (ru_maxrss), under --spint-timeout seconds; sizes it cannot
finish are reported as such, and the largest it can do is measured (--spint-sizes).
The BLAS kernel is `steppe bench --format json`'s machine.blasCore.

Run from the repository root after `swift build -c release --product steppe`:
  python3 Benchmarks/peers/interaction_peer.py [--regions 1000] [--repetitions 3]
Needs numpy and spint (pip install spint).
"""
import argparse, json, os, resource, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(HERE, "data")


def matrix(regions):
    import numpy as np
    path = os.path.join(DATA, "interaction_%d.csv" % regions)
    if os.path.exists(path):
        return path
    os.makedirs(DATA, exist_ok=True)
    rng = np.random.default_rng(13)
    xy = rng.uniform(0, 1000, size=(regions, 2))
    a = rng.normal(0, 1, regions)
    b = rng.normal(0, 1, regions)
    o, d = np.meshgrid(np.arange(regions), np.arange(regions), indexing="ij")
    keep = o != d
    o, d = o[keep], d[keep]
    dist = np.hypot(*(xy[o] - xy[d]).T) + 1.0
    eta = a[o] + b[d] - 1.5 * np.log(dist)
    mu = np.exp(eta) * (5.0 / np.exp(eta).mean())
    flow = rng.poisson(mu)
    with open(path, "w") as out:
        out.write("origin,destination,flow,dist\n")
        for i, j, f, c in zip(o, d, flow, dist):
            out.write("r%04d,r%04d,%d,%.6f\n" % (i, j, f, c))
    return path


def steppe(binary, args):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    start = time.perf_counter()
    run = subprocess.run([binary] + args, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit("steppe %s failed: %s" % (" ".join(args), run.stderr))
    return elapsed, run.stdout


SPINT = r"""
import json, resource, sys, time, csv
import numpy as np
from spint.gravity import Doubly
path = sys.argv[1]
o, d, f, c = [], [], [], []
with open(path) as fh:
    next(fh)
    for line in fh:
        a, b, x, y = line.rstrip("\n").split(",")
        o.append(a); d.append(b); f.append(int(x)); c.append(float(y))
o, d, f, c = np.array(o), np.array(d), np.array(f, dtype=np.int64), np.array(c)
start = time.perf_counter()
m = Doubly(f, o, d, c, "pow")
elapsed = time.perf_counter() - start
print(json.dumps(dict(seconds=elapsed, beta=float(m.params[-1]), se=float(m.std_err[-1]), SSI=float(m.SSI),
                      maxrssMB=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""


def spint(path, timeout):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    try:
        run = subprocess.run([sys.executable, "-c", SPINT, path], capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return dict(failed="did not finish in %d s" % timeout)
    if run.returncode != 0:
        return dict(failed=(run.stderr.strip().splitlines() or ["exit %d" % run.returncode])[-1])
    return json.loads(run.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--regions", type=int, default=1000)
    p.add_argument("--repetitions", type=int, default=3)
    p.add_argument("--steppe", default=os.path.join(ROOT, ".build", "release", "steppe"))
    p.add_argument("--spint-sizes", default="200,400,700,1000")
    p.add_argument("--spint-timeout", type=int, default=900)
    a = p.parse_args()
    machine = json.loads(steppe(a.steppe, ["bench", "--rows", "2000", "--levels", "20", "--repetitions", "1", "--no-peak",
                                           "--problem", "glm", "--format", "json"])[1])["machine"]
    path = matrix(a.regions)
    runs, fits = [], []
    for _ in range(a.repetitions):
        t, out = steppe(a.steppe, ["interaction", path, "--cost", "dist", "--constraint", "doubly", "--model", "gravity",
                                    "--top", "0", "--format", "json"])
        runs.append(t)
        doc = json.loads(out)
        _, bench = steppe(a.steppe, ["bench", "--data", path, "-f", "flow ~ log(dist) | origin + destination", "-m", "ppml",
                                     "--repetitions", "1", "--format", "json"])
        fits.append(json.loads(bench)["run"])
    cost = [c for c in doc["model"]["coefficients"] if c["term"] == "log(dist)"][0]
    print("machine: %s" % json.dumps(machine))
    print("steppe interaction, %d x %d (%d pairs): best %.2f s of %s; beta %.6f (se %.6f), SSI %.4f, %d IRLS iterations"
          % (a.regions, a.regions, doc["interaction"]["statistics"]["nobs"], min(runs), ["%.2f" % t for t in runs],
             cost["estimate"], cost["stdError"], doc["interaction"]["statistics"]["ssi"], doc["model"]["iterations"]))
    print("steppe bench --data, same PPML: %s" % json.dumps(fits))
    for size in [int(s) for s in a.spint_sizes.split(",")]:
        sub = matrix(size)
        r = spint(sub, a.spint_timeout)
        if "failed" in r:
            print("spint Doubly, %d x %d: %s" % (size, size, r["failed"]))
            continue
        t, out = steppe(a.steppe, ["interaction", sub, "--cost", "dist", "--top", "0", "--model", "gravity", "--format", "json"])
        doc = json.loads(out)
        beta = [c for c in doc["model"]["coefficients"] if c["term"] == "log(dist)"][0]["estimate"]
        print("spint Doubly, %d x %d: %.2f s in memory, peak %.0f MB, beta %.6f (steppe %.6f, end to end %.2f s)"
              % (size, size, r["seconds"], r["maxrssMB"], r["beta"], beta, t))


if __name__ == "__main__":
    main()
