"""Peer for bench/colored-mnist.ts: the Colored MNIST training step of the gradient-starvation study in
PyTorch on CPU, as the authors' script trains it: nn.Sequential(Linear(392, 300), ReLU, Linear(300, 300),
ReLU, Linear(300, 1)) with Xavier-uniform weights and zero biases, full-batch torch.optim.Adam(lr=1e-4)
on binary_cross_entropy_with_logits.

Usage: /usr/bin/python3 colored_mnist_torch.py DATA_DIR STEPS THREADS REPS
  DATA_DIR holds x.f32 (N x 392 float32) and y.f32 (N float32, 0/1), written by the bench.
Prints JSON {"seconds": median seconds for STEPS steps over REPS runs (after a warm-up run of 5 steps),
"torch": version, "threads": n, "rows": N}.
"""
import json
import os
import sys
import time

import numpy as np
import torch


def main():
    data_dir, steps, threads, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.from_numpy(np.fromfile(os.path.join(data_dir, 'x.f32'), dtype=np.float32).reshape(-1, 392))
    y = torch.from_numpy(np.fromfile(os.path.join(data_dir, 'y.f32'), dtype=np.float32)).reshape(-1, 1)

    def build():
        layers = [torch.nn.Linear(392, 300), torch.nn.Linear(300, 300), torch.nn.Linear(300, 1)]
        for lin in layers:
            torch.nn.init.xavier_uniform_(lin.weight)
            torch.nn.init.zeros_(lin.bias)
        return torch.nn.Sequential(layers[0], torch.nn.ReLU(True), layers[1], torch.nn.ReLU(True), layers[2])

    def run(n):
        model = build()
        opt = torch.optim.Adam(model.parameters(), lr=1e-4)
        for _ in range(n):
            loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()

    run(5)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        run(steps)
        times.append(time.perf_counter() - t0)
    times.sort()
    print(json.dumps({"seconds": times[len(times) // 2], "torch": torch.__version__, "threads": threads, "rows": x.shape[0]}))


if __name__ == '__main__':
    main()
