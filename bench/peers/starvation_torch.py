"""Peer for bench/starvation.ts: the two-moon run of the gradient-starvation study in PyTorch on CPU,
as the authors' moon_fig_2.py trains it: nn.Sequential(Linear(2, 500), ReLU, Linear(500, 1)),
full-batch torch.optim.SGD(lr=1e-2, momentum=0.9, weight_decay=2e-4), loss
softplus(-y * f).mean() + sd * (f ** 2).mean(); and the NTK Gram matrix at initialisation:
J = d f(x_i) / d theta for the 300 training points (torch.func.jacrev, or autograd.functional.jacobian vectorised on torch 1.x),
G = J J^T.

Usage: /usr/bin/python3 starvation_torch.py DATA_DIR STEPS THREADS REPS SD [LAYER]
  DATA_DIR holds x.f32 (300 x 2 float32) and y.f32 (300 float32, +-1), written by the bench.
  LAYER: "plain" (default), "dropout=P" (nn.Dropout(P) before the ReLU) or "batchnorm"
  (nn.BatchNorm1d(500) before the ReLU), the appendix variants; REPS 0 skips the Gram matrix.
Prints JSON {"run": seconds for STEPS steps, "gram": median seconds for one Gram matrix (null
when skipped), "torch": version, "threads": n}.
"""
import json
import os
import sys
import time

import numpy as np
import torch
try:  # torch ≥ 2.0
    from torch.func import functional_call, jacrev
except ImportError:  # Debian bookworm's torch 1.13: the same through autograd.functional (vectorised)
    from torch.nn.utils.stateless import functional_call
    jacrev = None

from timing import median_time


def main():
    data_dir, steps, threads, reps, sd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    layer = sys.argv[6] if len(sys.argv) > 6 else 'plain'
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.from_numpy(np.fromfile(os.path.join(data_dir, 'x.f32'), dtype=np.float32).reshape(-1, 2))
    y = torch.from_numpy(np.fromfile(os.path.join(data_dir, 'y.f32'), dtype=np.float32)).reshape(-1, 1)

    def build():
        extra = []
        if layer.startswith('dropout='):
            extra = [torch.nn.Dropout(float(layer.split('=')[1]))]
        elif layer == 'batchnorm':
            extra = [torch.nn.BatchNorm1d(500)]
        return torch.nn.Sequential(torch.nn.Linear(2, 500), *extra, torch.nn.ReLU(), torch.nn.Linear(500, 1))

    def run():
        model = build()
        opt = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9, weight_decay=2e-4)
        for _ in range(steps):
            opt.zero_grad()
            f = model(x)
            loss = torch.nn.functional.softplus(-y * f).mean() + sd * (f ** 2).mean()
            loss.backward()
            opt.step()

    model = build()
    params = {k: v.detach() for k, v in model.named_parameters()}

    names = list(params)

    def logits(*values):
        return functional_call(model, dict(zip(names, values)), (x,)).squeeze(1)

    def gram():
        if jacrev is not None:
            jac = list(jacrev(lambda p: functional_call(model, p, (x,)).squeeze(1))(params).values())
        else:
            jac = torch.autograd.functional.jacobian(logits, tuple(params.values()), vectorize=True)
        J = torch.cat([j.reshape(x.shape[0], -1) for j in jac], dim=1)
        return J @ J.T

    t0 = time.perf_counter()
    run()
    run_s = time.perf_counter() - t0
    gram_s = median_time(gram, reps) if reps > 0 else None
    print(json.dumps({"run": run_s, "gram": gram_s, "torch": torch.__version__, "threads": threads}))


if __name__ == '__main__':
    main()
