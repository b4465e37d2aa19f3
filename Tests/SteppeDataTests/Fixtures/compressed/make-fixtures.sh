#!/usr/bin/env bash
# Writes the compressed-CSV fixtures of CompressedCSVTests and CompressedInputCLITests,
# with writers independent of Steppe: od.csv (a seeded origin–destination table, by
# Python), compressed by the gzip and zstd tools and by Python's gzip module.
# Run from this directory: ./make-fixtures.sh (needs python3, gzip, zstd).
set -euo pipefail
cd "$(dirname "$0")"
python3 - <<'PY'
import random
random.seed(16)
regions = ["Abai", "Akmola", "Aktobe", "Almaty", "Atyrau", "East", "Jambyl", "Jetisu",
           "Karaganda", "Kostanay", "Kyzylorda", "Mangystau", "North"]
pop = {r: random.randint(200, 2500) for r in regions}
x = {r: random.uniform(0, 1500) for r in regions}
y = {r: random.uniform(0, 900) for r in regions}
notes = ["", "NA", "estimate", "\"revised, 2023\"", "\"two\nlines\"", "\"said \"\"final\"\"\""]
with open("od.csv", "w", newline="") as f:
    f.write("origin,destination,flow,km,pop_o,pop_d,border,share,note\n")
    for o in regions:
        for d in regions:
            if o == d:
                continue
            km = ((x[o] - x[d]) ** 2 + (y[o] - y[d]) ** 2) ** 0.5 + 50
            mean = 0.02 * pop[o] * pop[d] / km ** 1.3
            flow = sum(1 for _ in range(int(mean * 3)) if random.random() < 1 / 3)
            share = "NA" if random.random() < 0.05 else repr(random.random() * 10 ** random.randint(-7, 3))
            border = random.choice(["true", "false", "TRUE", "False"])
            f.write(f"{o},{d},{flow},{km:.1f},{pop[o]},{pop[d]},{border},{share},{random.choice(notes)}\n")
PY
gzip -9 -n -c od.csv > od.csv.gz
python3 -c 'import gzip, sys; sys.stdout.buffer.write(gzip.compress(open("od.csv", "rb").read(), compresslevel=6, mtime=0))' > od-python.csv.gz
zstd -19 --check -q -c od.csv > od.csv.zst
# Several members and several frames: the first 60 lines, then the rest, each compressed alone.
head -n 60 od.csv > part1.tmp
tail -n +61 od.csv > part2.tmp
{ gzip -n -c part1.tmp; gzip -n -c part2.tmp; } > od-members.csv.gz
{ zstd -q -c part1.tmp; zstd -q --no-check -c part2.tmp; } > od-frames.csv.zst
rm part1.tmp part2.tmp
# A CSV error inside a compressed file, for the command line's tests.
gzip -9 -n -c ../../../SteppeCLITests/Fixtures/text_in_numeric.csv > text_in_numeric.csv.gz
# 64 MiB of one record that never ends: refused after the 4 MiB record limit.
python3 -c 'import sys; sys.stdout.buffer.write(b"a,b\n" + b"1" * (64 << 20))' | zstd -19 -q -c > bomb.csv.zst
ls -l text_in_numeric.csv.gz od.csv od.csv.gz od-python.csv.gz od.csv.zst od-members.csv.gz od-frames.csv.zst bomb.csv.zst
