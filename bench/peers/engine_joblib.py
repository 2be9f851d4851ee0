"""The engine benchmark's workload for joblib.Memory (run with Debian's /usr/bin/python3).

  engine_joblib.py run  --cache DIR --a 25 --b 20   every cell through Memory.cache
  engine_joblib.py plan --cache DIR --a 100 --b 100 check_call_in_cache for every cell (joblib's dry run)
  engine_joblib.py pure --a 25 --b 20               the cells without joblib (pure compute)

Prints one JSON line: mode, cells, computed, seconds inside Python (after imports), peak RSS.
"""
import argparse
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "engine_snakemake"))

import joblib  # noqa: E402
from cell_work import PASSES, cell_work  # noqa: E402


misses = 0


def cell(a, b, passes):
    """The cached function: the cell's work, counting how often it really runs."""
    global misses
    misses += 1
    return cell_work(a, b, passes)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["run", "plan", "pure"])
    ap.add_argument("--cache", default=None)
    ap.add_argument("--a", type=int, default=25)
    ap.add_argument("--b", type=int, default=20)
    ap.add_argument("--passes", type=int, default=PASSES)
    args = ap.parse_args()
    cells = [(a, b) for a in range(args.a) for b in range(args.b)]
    computed = 0
    t0 = time.perf_counter()
    if args.mode == "pure":
        # best of three: the figure the overheads are measured against should not carry noise
        best = float("inf")
        for _ in range(3):
            t1 = time.perf_counter()
            for a, b in cells:
                cell_work(a, b, args.passes)
            best = min(best, time.perf_counter() - t1)
        t0 = time.perf_counter() - best
    else:
        memory = joblib.Memory(args.cache, verbose=0)
        cached = memory.cache(cell)
        if args.mode == "run":
            for a, b in cells:
                cached(a, b, args.passes)
            computed = misses
        else:
            for a, b in cells:
                if not cached.check_call_in_cache(a, b, args.passes):
                    computed += 1
    seconds = time.perf_counter() - t0
    print(json.dumps({
        "mode": args.mode,
        "cells": len(cells),
        "computed": computed,
        "inproc_s": seconds,
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "joblib": joblib.__version__,
    }))


if __name__ == "__main__":
    main()
