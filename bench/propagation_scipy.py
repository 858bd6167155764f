"""Reference for bench:propagation: the fixed point x = min(1, seed + W^T x) with scipy.sparse (CSR)."""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp

folder, n = sys.argv[1], int(sys.argv[2])
load = lambda name, dtype: np.fromfile(f"{folder}/{name}.bin", dtype=dtype)
src, dst, w, seed = load("from", np.int32), load("to", np.int32), load("weight", np.float64), load("seed", np.float64)

t0 = time.perf_counter()
m = sp.csr_matrix((w, (dst, src)), shape=(n, n))
build = time.perf_counter() - t0

t1 = time.perf_counter()
x = np.minimum(1.0, seed)
rounds = 0
while True:
    rounds += 1
    nxt = np.minimum(1.0, seed + m @ x)
    change = np.max(np.abs(nxt - x))
    x = nxt
    if change <= 1e-12 or rounds >= 10000:
        break
propagate = time.perf_counter() - t1

if len(sys.argv) > 3 and sys.argv[3] == "compare":
    keel = load("keel", np.float64)
    print(json.dumps({"maxDiff": float(np.max(np.abs(keel - x)))}))
else:
    print(json.dumps({"build": build, "propagate": propagate, "rounds": rounds, "total": float(x.sum())}))
