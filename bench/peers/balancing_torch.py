"""Peer for bench/balancing.ts: one ERM training run of the thesis' synthetic example in PyTorch
on CPU (the authors' ToyNet, BCE-with-logits, SGD momentum 0.9, batch 250), with per-epoch
per-group accuracy on train/val/test like ours. Plain tensor indexing instead of a DataLoader,
so the comparison is about the training arithmetic, not Python's data pipeline.

Usage: /usr/bin/python3 balancing_torch.py EPOCHS N NOISE_DIMS  -> prints JSON {seconds, ...}
"""
import json
import sys
import time

import numpy as np
import torch


def make_split(rng, n, dim_noise, train):
    X = rng.normal(0, 0.15, size=(n, 2))
    X -= X.mean(0, keepdims=True) + np.array([[1.0, 1.0]])
    y = np.array([-1] * (n // 2) + [1] * (n // 2))
    g = np.ones(n)
    core, spu = X[:, 0] * y, X[:, 1] * y
    idx = rng.permutation(n)[: int((1 - 0.8) * n)]
    spu[idx] *= -1
    g[idx] *= -1
    noise = rng.normal(size=(n, dim_noise)) if train else np.zeros((n, dim_noise))
    x = np.concatenate([np.stack([spu, core], 1), noise], 1)
    return x, (y + 1) // 2, ((g + 1) // 2).astype(int)


def main():
    epochs, n, dim_noise = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    torch.manual_seed(0)
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    d = dim_noise + 2
    gammas = torch.tensor([[4.0, 1.0] + [20.0] * dim_noise])
    splits = {}
    for name in ["tr", "va", "te"]:
        x, y, g = make_split(rng, n, dim_noise, name == "tr")
        xs = (torch.tensor(x) * gammas).float()
        splits[name] = (xs, torch.tensor(y), torch.tensor(2 * y + g))
    fc = torch.nn.Linear(d, 1, bias=False)
    fc.weight.data = 0.01 / gammas * fc.weight.data
    opt = torch.optim.SGD(fc.parameters(), lr=1e-5, weight_decay=0.1, momentum=0.9)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    xtr, ytr, _ = splits["tr"]
    yf = ytr.float()
    worst = []
    t0 = time.perf_counter()
    for epoch in range(epochs):
        perm = torch.randperm(n)
        for s in range(0, n, 250):
            b = perm[s:s + 250]
            opt.zero_grad()
            loss = loss_fn(fc(xtr[b]).squeeze(1), yf[b])
            loss.backward()
            opt.step()
        with torch.no_grad():
            accs = []
            for name in ["tr", "va", "te"]:
                x, y, grp = splits[name]
                correct = ((fc(x).squeeze(1) > 0).long() == y).float()
                accs.append(min(correct[grp == k].mean().item() for k in range(4)))
            worst.append(accs)
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "epochs": epochs, "torch": torch.__version__, "threads": torch.get_num_threads(), "final_worst": worst[-1]}))


if __name__ == "__main__":
    main()
