#!/usr/bin/env python3
"""Times `steppe indices` (migest's index suite: intensity, impact, connectivity, distance)
end to end on an R x R origin-destination matrix, and R migest 2.0.5's index functions
on the same matrix as the peer when R with migest is installed.

Data (numpy PCG64, seed 1), as Benchmarks/RESULTS.md "Migration indices (2026-12-01)":
R points x ~ U(0, 1000), y ~ U(0, 2000), populations p ~ integers[10,000, 2,000,000),
distances d_ij = |(x, y)_i - (x, y)_j| + 1 (written to 3 decimals), flows Poisson with
mean p_i p_j / 1e9 * d_ij^-1.2 for every pair i != j (drawn in row-major order). The
default R = 1,000 gives 999,000 rows (70% zero flows, 621,567 migrants): written to
data/indices_od_R.csv (origin, destination, flow, distance) and data/indices_pop_R.csv
(region, population); data/ is git-ignored.

Steppe is timed as a process, best of --repetitions (start-up, reading the CSVs, the
matrix, every index, the JSON), with OPENBLAS_NUM_THREADS=1 and its peak memory
(ru_maxrss); it is run once more on one core (taskset -c 0) and the JSON compared with
the run on all cores: the results must be the same to the bit whatever the number of
threads. The BLAS kernel is `steppe bench --format json`'s machine.blasCore; the load
is /proc/loadavg before and after.

migest is timed in a child Rscript, on data frames in memory (reading excluded), one
function at a time: index_intensity and index_impact on the full matrix, and
index_connectivity and index_distance on the matrices of the first --migest-sizes
regions (default 100 and 200; the same draws), under --migest-timeout seconds each, with the largest
difference from Steppe's indices on the same submatrix. Both are infeasible at 1,000
regions: migration.indices' Ginis sum |m_a - m_b| over all K^2 ordered pairs of the
K = R(R-1) flows (10^12 at R = 1,000) and the two GLMs build a K x 2R model matrix
(16 GB at R = 1,000).

Run from the repository root after `swift build -c release --product steppe`:
  python3 Benchmarks/peers/indices_peer.py [--regions 1000] [--repetitions 5]
Needs numpy; the peer needs R with migest (install.packages("migest")).
"""
import argparse, json, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(HERE, "data")


def generate(regions):
    """The full matrix's files (made once), as described above."""
    od = os.path.join(DATA, "indices_od_%d.csv" % regions)
    pop = os.path.join(DATA, "indices_pop_%d.csv" % regions)
    if os.path.exists(od) and os.path.exists(pop):
        return od, pop
    import numpy as np
    os.makedirs(DATA, exist_ok=True)
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1000, regions)
    y = rng.uniform(0, 2000, regions)
    p = rng.integers(10_000, 2_000_000, regions)
    o, d = np.meshgrid(np.arange(regions), np.arange(regions), indexing="ij")
    keep = o != d
    o, d = o[keep], d[keep]
    dist = np.hypot(x[o] - x[d], y[o] - y[d]) + 1
    flow = rng.poisson(p[o].astype(float) * p[d] / 1e9 * dist ** -1.2)
    with open(od, "w") as out:
        out.write("origin,destination,flow,distance\n")
        out.writelines("r%d,r%d,%d,%.3f\n" % row for row in zip(o, d, flow, dist))
    with open(pop, "w") as out:
        out.write("region,population\n")
        out.writelines("r%d,%d\n" % (i, v) for i, v in enumerate(p))
    return od, pop


def submatrix(regions, size):
    """The first `size` regions of the full matrix: their pairs and populations."""
    od, pop = generate(regions)
    if size >= regions:
        return od, pop
    sub_od = os.path.join(DATA, "indices_od_%d_of_%d.csv" % (size, regions))
    sub_pop = os.path.join(DATA, "indices_pop_%d_of_%d.csv" % (size, regions))
    if not (os.path.exists(sub_od) and os.path.exists(sub_pop)):
        keep = {"r%d" % i for i in range(size)}
        with open(od) as src, open(sub_od, "w") as out:
            out.write(next(src))
            out.writelines(line for line in src if set(line.split(",", 2)[:2]) <= keep)
        with open(pop) as src, open(sub_pop, "w") as out:
            out.write(next(src))
            out.writelines(line for line in src if line.split(",", 1)[0] in keep)
    return sub_od, sub_pop


def run(command, cores=None):
    """(seconds, stdout) of one child process, with one BLAS thread (on `cores` only, if given)."""
    if cores is not None:
        command = ["taskset", "-c", cores] + command
    start = time.perf_counter()
    child = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    elapsed = time.perf_counter() - start
    if child.returncode != 0:
        sys.exit("%s failed: %s" % (" ".join(command), child.stderr.strip()))
    return elapsed, child.stdout


def steppe_indices(binary, od, pop, cores=None):
    t, out = run([binary, "indices", od, "--populations", pop, "--distance", "distance", "--format", "json"], cores=cores)
    return t, json.loads(out)


def peak_mb():
    """The largest peak memory of any child so far (ru_maxrss)."""
    import resource
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


MIGEST = r"""
suppressMessages({library(migest); library(dplyr); library(jsonlite)})
args <- commandArgs(TRUE); which <- strsplit(args[3], ",")[[1]]
d <- read.csv(args[1], stringsAsFactors = FALSE) %>% transmute(orig = origin, dest = destination, flow, dist = distance)
p <- read.csv(args[2], stringsAsFactors = FALSE)
m <- d %>% select(orig, dest, flow)
timed <- function(f) { t <- system.time(v <- f())[["elapsed"]]; list(seconds = t, values = as.list(v)) }
out <- list()
if ("intensity" %in% which) out$intensity <- timed(function()
  index_intensity(mig_total = sum(m$flow), pop_total = sum(p$population), n = nrow(p), long = FALSE))
if ("impact" %in% which) out$impact <- timed(function() index_impact(m = m, p = p, pop = "population", reg = "region", long = FALSE))
if ("connectivity" %in% which) out$connectivity <- timed(function() index_connectivity(m = m, long = FALSE))
if ("distance" %in% which) out$distance <- timed(function() index_distance(m = d, d = d, dist = "dist", long = FALSE))
hwm <- grep("^VmHWM", readLines("/proc/self/status"), value = TRUE)
out$maxrssMB <- as.numeric(gsub("[^0-9]", "", hwm)) / 1024
cat(toJSON(out, auto_unbox = TRUE, digits = NA), "\n")
"""

# migest's column names of Steppe's keys, where they differ.
MIGEST_KEYS = {"courgeauK": "courgeau_k", "effectiveness": "effectivness", "inequalityEqual": "inequality_equal",
               "inequalitySim": "inequality_sim", "giniTotal": "gini_total", "giniOrigStd": "gini_orig_standardized",
               "giniDestStd": "gini_dest_standardized", "mwgOrig": "mwg_orig", "mwgDest": "mwg_dest", "mwgMean": "mwg_mean"}


def migest(od, pop, groups, timeout):
    try:
        r = subprocess.run(["Rscript", "-e", MIGEST, od, pop, ",".join(groups)], capture_output=True, text=True,
                           timeout=timeout, env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    except subprocess.TimeoutExpired:
        return dict(failed="did not finish in %d s" % timeout)
    if r.returncode != 0:
        return dict(failed=(r.stderr.strip().splitlines() or ["exit %d" % r.returncode])[-1])
    return json.loads(r.stdout.strip().splitlines()[-1])


def largest_difference(steppe_doc, peer):
    """(max over the indices both define of |steppe - migest| / |migest|, its key, and the
    keys only one of them defines: Steppe's null where migest gives NaN is agreement)."""
    worst, disagree = (0.0, None), []
    for group, result in peer.items():
        if not isinstance(result, dict):
            continue
        for key, value in steppe_doc["results"][0][group].items():
            if key in ("nullReasons", "median"):   # the median: tied distances, see WeightedMedian.swift
                continue
            theirs = result["values"].get(MIGEST_KEYS.get(key, key))
            theirs = theirs if isinstance(theirs, (int, float)) else None
            if (value is None) != (theirs is None):
                disagree.append(key)
            elif value is not None:
                worst = max(worst, (abs(value - theirs) / max(abs(theirs), 1e-300), key))
    return worst[0], worst[1], disagree


def has_migest():
    try:
        return subprocess.run(["Rscript", "-e", "library(migest)"], capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


def report_steppe(a):
    od, pop = generate(a.regions)
    machine = json.loads(run([a.steppe, "bench", "--rows", "2000", "--levels", "20", "--repetitions", "1", "--no-peak",
                              "--problem", "glm", "--format", "json"])[1])["machine"]
    load = open("/proc/loadavg").read().split()[:3]
    runs = [steppe_indices(a.steppe, od, pop) for _ in range(a.repetitions)]
    one_core = steppe_indices(a.steppe, od, pop, cores="0")
    doc = runs[0][1]
    same = all(r[1]["results"] == doc["results"] for r in runs) and one_core[1]["results"] == doc["results"]
    res = doc["results"][0]
    print("machine: %s; load before %s, after %s" % (json.dumps(machine), " ".join(load), " ".join(open("/proc/loadavg").read().split()[:3])))
    print("steppe indices, %d x %d (%d rows, %d migrants): best %.3f s of %s, peak %.0f MB; one core %.3f s"
          % (a.regions, a.regions, doc["data"]["rows"], res["totalFlow"], min(r[0] for r in runs),
             ["%.3f" % r[0] for r in runs], peak_mb(), one_core[0]))
    print("  decay %r, giniTotal %r, median %r; results the same to the bit on one core and on all: %s"
          % (res["distance"]["decay"], res["connectivity"]["giniTotal"], res["distance"]["median"], same))
    return doc


def report_migest(a, doc):
    if not has_migest():
        print("migest: not installed (Rscript with library(migest) failed); no peer timings")
        return
    od, pop = generate(a.regions)
    r = migest(od, pop, ["intensity", "impact"], a.migest_timeout)
    if "failed" in r:
        print("migest index_intensity + index_impact, %d x %d: %s" % (a.regions, a.regions, r["failed"]))
    else:
        diff, key, disagree = largest_difference(doc, r)
        print("migest index_intensity %.3f s, index_impact %.3f s on %d x %d in memory (largest difference from steppe %.1e, %s%s)"
              % (r["intensity"]["seconds"], r["impact"]["seconds"], a.regions, a.regions, diff, key,
                 "; defined by one only: %s" % disagree if disagree else ""))
    for size in [int(s) for s in a.migest_sizes.split(",") if s]:
        sub_od, sub_pop = submatrix(a.regions, size)
        r = migest(sub_od, sub_pop, ["connectivity", "distance"], a.migest_timeout)
        if "failed" in r:
            print("migest index_connectivity + index_distance, %d x %d: %s" % (size, size, r["failed"]))
            continue
        t, ours = steppe_indices(a.steppe, sub_od, sub_pop)
        diff, key, disagree = largest_difference(ours, r)
        print("migest %d x %d: index_connectivity %.2f s, index_distance %.2f s in memory, peak %.0f MB; "
              "steppe indices (everything, end to end) %.3f s; largest difference %.1e (%s)%s"
              % (size, size, r["connectivity"]["seconds"], r["distance"]["seconds"], r["maxrssMB"], t, diff, key,
                 "; defined by one only: %s" % disagree if disagree else ""))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--regions", type=int, default=1000)
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--steppe", default=os.path.join(ROOT, ".build", "release", "steppe"))
    p.add_argument("--migest-sizes", default="100,200")
    p.add_argument("--migest-timeout", type=int, default=900)
    a = p.parse_args()
    doc = report_steppe(a)
    report_migest(a, doc)


if __name__ == "__main__":
    main()
