"""Peer for bench/sparse.ts: one training epoch of the sparse double descent MLP in PyTorch on CPU,
as the paper's notebook trains it: nn.Linear 784 -> H -> 10 with ReLU, cross-entropy (batch mean)
+ alpha * sum of torch.linalg.norm(p, 1) over all parameters, plain torch.optim.SGD lr 1e-3,
batch 32, a fresh shuffle per epoch. Plain tensor indexing instead of a DataLoader, so the
comparison is about the training arithmetic, not Python's data pipeline.

Usage: /usr/bin/python3 sparse_mlp.py DATA_DIR WIDTH THREADS REPS ALPHA
  DATA_DIR holds x.f32 (N x 784 float32, normalised) and y.i32 (N int32), written by the bench.
Prints JSON {"seconds": median epoch time, "torch": version, "threads": n}.
"""
import json
import os
import sys
import time

import numpy as np
import torch


def main():
    data_dir, width, threads, reps, alpha = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.from_numpy(np.fromfile(os.path.join(data_dir, 'x.f32'), dtype=np.float32).reshape(-1, 784))
    y = torch.from_numpy(np.fromfile(os.path.join(data_dir, 'y.i32'), dtype=np.int32).astype(np.int64))
    model = torch.nn.Sequential(torch.nn.Linear(784, width), torch.nn.ReLU(), torch.nn.Linear(width, 10))
    opt = torch.optim.SGD(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = x.shape[0]

    def epoch():
        order = torch.randperm(n)
        for start in range(0, n, 32):
            idx = order[start:start + 32]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            if alpha > 0:
                loss = loss + alpha * sum(torch.linalg.norm(p, 1) for p in model.parameters())
            loss.backward()
            opt.step()

    epoch()  # warm-up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        epoch()
        times.append(time.perf_counter() - t0)
    times.sort()
    print(json.dumps({"seconds": times[len(times) // 2], "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == '__main__':
    main()
