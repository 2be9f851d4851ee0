"""Peer timings for bench/native.ts, on the same inputs.

  native_linalg.py linalg DIR   numpy: eigh / svd / solve on DIR/*.f64 (raw float64, row-major),
                                 sizes in DIR/cases.json; prints {name: median seconds} as JSON
  native_linalg.py mlp DIR      torch: one epoch of 784 -> H -> 10 ReLU MLP training (cross-entropy
                                 + alpha * sum_p torch.linalg.norm(p, 1), plain SGD) on DIR/x.f32,
                                 DIR/y.i32; cases in DIR/cases.json; prints {name: median seconds}

Run with Debian's /usr/bin/python3 (numpy and torch from apt), as the bench does.
"""
import json
import os
import sys

from timing import median_time


def linalg(d):
    import numpy as np
    cases = json.load(open(os.path.join(d, "cases.json")))
    out = {}
    for c in cases:
        a = np.fromfile(os.path.join(d, c["file"]), dtype=np.float64).reshape(c["rows"], c["cols"])
        if c["op"] == "eigh":
            fn = lambda: np.linalg.eigh(a)
        elif c["op"] == "svd":
            fn = lambda: np.linalg.svd(a, full_matrices=False)
        elif c["op"] == "solve":
            b = np.fromfile(os.path.join(d, c["rhs"]), dtype=np.float64).reshape(c["rows"], -1)
            fn = lambda: np.linalg.solve(a, b)
        else:
            raise ValueError(c["op"])
        out[c["name"]] = median_time(fn, c["reps"])
    print(json.dumps({"numpy": np.__version__, "times": out}))


def mlp(d):
    import numpy as np
    import torch
    from notebook_mlp import notebook_epoch
    cases = json.load(open(os.path.join(d, "cases.json")))
    meta = cases["data"]
    x_all = torch.from_numpy(np.fromfile(os.path.join(d, "x.f32"), dtype=np.float32).reshape(meta["n"], meta["inputs"]))
    y_all = torch.from_numpy(np.fromfile(os.path.join(d, "y.i32"), dtype=np.int32).astype(np.int64))
    out = {}
    for c in cases["cases"]:
        torch.set_num_threads(c["threads"])
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(meta["inputs"], c["hidden"]), torch.nn.ReLU(), torch.nn.Linear(c["hidden"], 10))
        opt = torch.optim.SGD(model.parameters(), lr=c["lr"])
        gen = torch.Generator().manual_seed(1)
        epoch = lambda: notebook_epoch(model, opt, x_all, y_all, c["batch"], c["alpha"], gen)
        out[c["name"]] = median_time(epoch, c["reps"])
    print(json.dumps({"torch": torch.__version__, "times": out}))


if __name__ == "__main__":
    {"linalg": linalg, "mlp": mlp}[sys.argv[1]](sys.argv[2])
