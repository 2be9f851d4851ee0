"""Peer for bench/sparse.ts: one training epoch of the sparse double descent MLP in PyTorch on CPU,
as the paper's notebook trains it: nn.Linear 784 -> H -> 10 with ReLU, cross-entropy (batch mean)
+ alpha * sum of torch.linalg.norm(p, 1) over all parameters, plain torch.optim.SGD lr 1e-3,
batch 32, a fresh shuffle per epoch. Plain tensor indexing instead of a DataLoader, so the
comparison is about the training arithmetic, not Python's data pipeline.

Usage: /usr/bin/python3 sparse_mlp.py DATA_DIR WIDTH THREADS REPS ALPHA
  DATA_DIR holds x.f32 (N x 784 float32, normalised) and y.i32 (N int32), written by the bench,
  and optionally tx.f32 / ty.i32, a test split: then one evaluation of it (forward, arg-max,
  accuracy, under torch.no_grad) is timed too, as the sweep does after every epoch.
Prints JSON {"seconds": median epoch time, "evaluate": median evaluation time or null,
"torch": version, "threads": n}.
"""
import json
import os
import sys
import time

import numpy as np
import torch

from notebook_mlp import notebook_epoch
from timing import median


def main():
    data_dir, width, threads, reps, alpha = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.from_numpy(np.fromfile(os.path.join(data_dir, 'x.f32'), dtype=np.float32).reshape(-1, 784))
    y = torch.from_numpy(np.fromfile(os.path.join(data_dir, 'y.i32'), dtype=np.int32).astype(np.int64))
    model = torch.nn.Sequential(torch.nn.Linear(784, width), torch.nn.ReLU(), torch.nn.Linear(width, 10))
    opt = torch.optim.SGD(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    epoch = lambda: notebook_epoch(model, opt, x, y, 32, alpha)

    test = None
    if os.path.exists(os.path.join(data_dir, 'tx.f32')):
        tx = torch.from_numpy(np.fromfile(os.path.join(data_dir, 'tx.f32'), dtype=np.float32).reshape(-1, 784))
        ty = torch.from_numpy(np.fromfile(os.path.join(data_dir, 'ty.i32'), dtype=np.int32).astype(np.int64))
        test = (tx, ty)

    def evaluate():
        with torch.no_grad():
            logits = model(test[0])
            loss_fn(logits, test[1]).item()
            (logits.argmax(1) == test[1]).sum().item()

    epoch()  # warm-up
    times, evals = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        epoch()
        t1 = time.perf_counter()
        if test is not None:
            evaluate()
        times.append(t1 - t0)
        evals.append(time.perf_counter() - t1)
    print(json.dumps({"seconds": median(times), "evaluate": median(evals) if test is not None else None,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == '__main__':
    main()
