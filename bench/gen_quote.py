#!/usr/bin/env python3
"""gen_quote.py — the bulk-quote workload of shared/design/BENCHMARKS.md:
N enterprises (default 1,000,000) as the CSV `cyberins quote --csv` reads,
from a fixed seed so every run measures the same work.

  industry  uniform over the rating model's 20 GB/T 4754 sections A–T
  revenue   log-uniform ¥5M–¥10B (yuan, two decimals)
  grade     A–E with probabilities .10 .25 .35 .20 .10
  limit, retention  uniform over the product's options (yuan)

usage: gen_quote.py N LIMITS RETENTIONS [SEED] > enterprises.csv
       (LIMITS, RETENTIONS: comma-separated fen, as GET /api/v1/products/{id} lists them)
"""
import math
import random
import sys


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    limits = [int(x) for x in (sys.argv[2] if len(sys.argv) > 2 else "100000000,300000000,500000000,1000000000").split(",")]
    retentions = [int(x) for x in (sys.argv[3] if len(sys.argv) > 3 else "1000000,5000000,10000000").split(",")]
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 20250101)
    sections = [chr(ord("A") + i) for i in range(20)]
    grades = "ABCDE"
    cum = [0.10, 0.35, 0.70, 0.90, 1.00]
    lo, hi = math.log(5e6), math.log(1e10)
    out = sys.stdout
    out.write("id,industry,revenue,grade,limit,retention\n")
    buf = []
    for i in range(n):
        u = rng.random()
        g = next(k for k, c in enumerate(cum) if u < c)
        revenue = math.exp(lo + (hi - lo) * rng.random())
        buf.append("e%07d,%s,%.2f,%s,%d,%d\n" % (i + 1, sections[rng.randrange(20)], revenue, grades[g],
                                                 limits[rng.randrange(len(limits))] // 100,
                                                 retentions[rng.randrange(len(retentions))] // 100))
        if len(buf) == 10000:
            out.write("".join(buf))
            buf = []
    out.write("".join(buf))


if __name__ == "__main__":
    main()
