"""Peer for bench/stats.ts: per-call time of scipy's Alexander-Govern test and Welch's t-test on
the groups given as JSON on stdin ({"groups": [[...], ...], "calls": N}); prints JSON seconds per call.
Usage: echo '{...}' | /usr/bin/python3 stats_scipy.py"""
import json
import sys
import timeit

import scipy
from scipy import stats

spec = json.load(sys.stdin)
groups, calls = spec["groups"], spec["calls"]
ag = min(timeit.repeat(lambda: stats.alexandergovern(*groups), number=calls, repeat=3)) / calls
tt = min(timeit.repeat(lambda: stats.ttest_ind(groups[0], groups[1], equal_var=False), number=calls, repeat=3)) / calls
print(json.dumps({"scipy": scipy.__version__, "alexandergovern_s": ag, "ttest_ind_welch_s": tt,
                  "statistic": float(stats.alexandergovern(*groups).statistic)}))
