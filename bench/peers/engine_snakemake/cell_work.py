"""The engine benchmark's cell, in numpy: the same computation as bench/pipelines/grid-nodes.ts
(`cellWork`), 1000 float64 values, different for every cell. PASSES makes one cell about 1 ms of numpy work (a
vectorised pass over 1000 values is about 7 µs); the bench measures the pure compute time
separately, so the overhead it reports does not depend on this being exactly 1 ms."""
import numpy as np

CELL_VALUES = 1000
PASSES = 135


def cell_work(a, b, passes=PASSES, n=CELL_VALUES):
    k = np.arange(1, n + 1, dtype=np.float64)
    phase = np.sin(0.001 * k * (a + 1)) + np.cos(0.002 * k * (b + 1))
    x = np.sin(phase)
    for _ in range(passes):
        x = 0.5 * np.sin(x) + 0.5 * np.cos(1.1 * x + phase)
    return x


def write_cell(a, b, passes, path):
    """Snakemake's job body: compute one cell and save it as .npy (its output file)."""
    np.save(path, cell_work(a, b, passes))
