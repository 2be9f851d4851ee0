"""Timing helpers shared by the peers: one warm-up call, then the median of `reps` calls."""
import time


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def median_time(fn, reps):
    fn()  # warm-up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return median(times)
