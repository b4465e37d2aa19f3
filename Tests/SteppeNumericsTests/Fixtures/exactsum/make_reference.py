#!/usr/bin/env python3
"""Reference sums for ExactSum: Python's math.fsum (correctly rounded), checked against
exact rational arithmetic (fractions.Fraction, rounded once by int / int true division,
which CPython rounds correctly, subnormals included).

Usage: python3 make_reference.py > reference.csv
Needs only the standard library. Deterministic (random.Random with fixed seeds).

One line per case after a header comment line and the column line:
  name,reference,fsum,values
- reference: the correctly rounded sum, float.hex(): the exact rational sum rounded to
  nearest, ties to even; +-inf when |sum| >= 2**1024 - 2**970 (the tie between the largest
  finite double and 2**1024 rounds to the even 2**1024); for inputs with NaN or infinities,
  what IEEE summation gives (nan, inf, -inf).
- fsum: math.fsum's result in float.hex(), or OverflowError / ValueError when fsum raises
  (it raises on overflow, even of an intermediate partial, and on inf + -inf). Wherever
  fsum returns, it equals reference bit for bit (asserted here).
- values: the inputs, float.hex(), separated by spaces (an empty field is the empty sum).
An exact zero is +0.0 (fsum gives 0.0 for [-0.0, -0.0] in the Python that wrote this file).
"""
import math
import random
import sys
from fractions import Fraction

MAX = sys.float_info.max
OVERFLOW = Fraction(2) ** 1024 - Fraction(2) ** 970


def exact_reference(values):
    if any(math.isnan(v) for v in values):
        return math.nan
    infinities = {v for v in values if math.isinf(v)}
    if infinities:
        return math.nan if len(infinities) == 2 else infinities.pop()
    s = sum((Fraction(v) for v in values), Fraction(0))
    if abs(s) >= OVERFLOW:
        return math.inf if s > 0 else -math.inf
    return float(s)


def fsum_field(values):
    try:
        return math.fsum(values).hex()
    except OverflowError:
        return "OverflowError"
    except ValueError:
        return "ValueError"


def same_bits(a, b):
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


def random_double(rng, low_exponent, high_exponent):
    """A double with a random sign, 52 random fraction bits and an exponent uniform in
    [low_exponent, high_exponent] (ldexp rounds to subnormals below 2**-1022)."""
    m = 1 + rng.getrandbits(52) / 2**52
    e = rng.randint(low_exponent, high_exponent)
    x = math.ldexp(m, e)
    if math.isinf(x):
        x = MAX
    return -x if rng.random() < 0.5 else x


def fixed_cases():
    ulp_max = math.ulp(MAX)
    tiny = 5e-324
    return [
        ("empty", []),
        ("plus_zero", [0.0]),
        ("minus_zero", [-0.0]),
        ("minus_zeros", [-0.0, -0.0]),
        ("mixed_zeros", [-0.0, 0.0]),
        ("cancellation_1e308", [1e308, 1.0, -1e308]),
        ("cancellation_order", [1.0, 1e308, -1e308, 1e-300]),
        ("cancellation_to_zero", [1e308, -1e308, 1e-320, -1e-320]),
        ("tie_even_stays", [1.0, 2.0**-53]),
        ("tie_odd_rounds_up", [1.0 + 2.0**-52, 2.0**-53]),
        ("above_tie", [1.0, 2.0**-53, 2.0**-106]),
        ("below_tie", [1.0, 2.0**-53, -2.0**-106]),
        ("above_tie_far_sticky", [1.0, 2.0**-53, tiny]),
        ("below_tie_far_sticky", [1.0, 2.0**-53, -tiny]),
        ("negative_tie_even", [-1.0, -2.0**-53]),
        ("negative_tie_odd", [-1.0 - 2.0**-52, -2.0**-53]),
        ("tie_large", [2.0**1000, 2.0**947]),
        ("tie_large_odd", [2.0**1000 + 2.0**948, 2.0**947]),
        ("tie_small_normal", [2.0**-1000, 2.0**-1053]),
        ("tie_small_odd", [2.0**-1000 + 2.0**-1052, 2.0**-1053]),
        ("tie_by_cancellation", [2.0**53, 1.0, 2.0**-60, -2.0**-60]),
        ("round_carries_to_binade", [2.0 - 2.0**-52, 2.0**-53]),
        ("subnormal_to_normal", [2.0**-1022 - tiny, tiny]),
        ("subnormal_pair", [tiny, tiny]),
        ("largest_subnormal_twice", [2.0**-1022 - tiny, 2.0**-1022 - tiny]),
        ("max_plus_half_ulp", [MAX, ulp_max / 2]),
        ("max_plus_below_half_ulp", [MAX, ulp_max / 2, -2.0**900]),
        ("max_minus_half_ulp", [MAX, -ulp_max / 2]),
        ("overflow_two_max", [MAX, MAX]),
        ("overflow_negative", [-MAX, -MAX, -1.0]),
        ("overflow_then_back", [MAX, MAX, -MAX]),
        ("overflow_many", [MAX] * 5 + [-1e300]),
        ("nan", [1.0, math.nan, 2.0]),
        ("plus_inf", [1.0, math.inf, -MAX]),
        ("minus_inf", [-math.inf, 1e308, 1e308]),
        ("inf_minus_inf", [math.inf, 1.0, -math.inf]),
        ("inf_and_nan", [math.inf, math.nan]),
    ]


def random_cases():
    rng = random.Random(20261201)
    cases = []
    spanning = [random_double(rng, e, e) for e in range(-1062, 1023, 3)]
    cases.append(("spanning_1e-320_to_1e308", spanning))
    subnormals = [math.ldexp(rng.getrandbits(52), -1074) * rng.choice((1, -1)) for _ in range(300)]
    cases.append(("subnormals_signed", subnormals))
    cases.append(("subnormals_positive", [abs(x) for x in subnormals[:200]]))
    for k in range(6):
        cases.append((f"random_full_range_{k}", [random_double(rng, -1074, 1023) for _ in range(300)]))
    for k in range(4):
        cases.append((f"random_narrow_{k}", [random_double(rng, -30, 30) for _ in range(300)]))
    for k in range(3):
        values = [random_double(rng, -200, 200) for _ in range(150)]
        values += [-x for x in values] + [random_double(rng, -1070, -1000)]
        rng.shuffle(values)
        cases.append((f"cancel_pairs_plus_tiny_{k}", values))
    for k in range(2):
        values = [random_double(rng, -500, 500) for _ in range(200)]
        values += [-x for x in values]
        rng.shuffle(values)
        cases.append((f"exact_zero_{k}", values))
    for k in range(2):
        values = [random_double(rng, -1074, 1023) for _ in range(200)]
        values += [-x for x in sorted(values, key=abs)[50:]]
        rng.shuffle(values)
        cases.append((f"cancel_largest_full_range_{k}", values))
    big = [random_double(rng, 1010, 1023) for _ in range(100)]
    cases.append(("huge_mixed", big))
    cases.append(("huge_positive", [abs(x) for x in big[:20]]))
    return cases


def main():
    print("# ExactSum reference: make_reference.py with Python %s" % sys.version.split()[0])
    print("name,reference,fsum,values")
    for name, values in fixed_cases() + random_cases():
        reference = exact_reference(values)
        fsum = fsum_field(values)
        if fsum not in ("OverflowError", "ValueError"):
            assert same_bits(float.fromhex(fsum), reference), (name, fsum, reference.hex())
        print(",".join([name, reference.hex(), fsum, " ".join(v.hex() for v in values)]))


if __name__ == "__main__":
    main()
