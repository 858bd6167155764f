"""Reference for bench:credit: the same multi-factor Gaussian copula vectorised with numpy (Φ from
scipy.special.ndtr). Reads the portfolio from the folder on argv[1] (spec.json and little-endian float64 /
int32 arrays), simulates the scenarios in chunks (the obligors × scenarios matrix of 10,000 × 100,000 would
take 8 GB), writes the losses to losses-<tag>.bin and prints the timing and the BLAS as JSON.

Per chunk: factors Y = Z·Lᵀ from standard normals; each group's conditional PD
Φ((Φ⁻¹(PD) − √ρ·Y_f) / √(1 − ρ)); one uniform per obligor and scenario against its group's conditional PD
(the plain vectorised form: every obligor is drawn in every scenario); the loss is the defaults matrix
times the losses given default (a BLAS matrix-vector product)."""
import json
import sys
import time

import numpy as np
from scipy.special import ndtr


def blas():
    """The BLAS numpy was built against: pip's wheels bundle OpenBLAS; Debian's numpy takes the system's libblas."""
    try:
        return np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
    except TypeError:  # numpy < 1.25
        libraries = getattr(np.__config__, "blas_opt_info", {}).get("libraries", [])
        return "system lib" + "/".join(sorted(set(libraries))) if libraries else "unknown"


folder, tag = sys.argv[1], sys.argv[2]
spec = json.load(open(f"{folder}/spec.json"))
load = lambda name, dtype: np.fromfile(f"{folder}/{name}.bin", dtype=dtype)
threshold, loading, idiosyncratic = load("threshold", "<f8"), load("loading", "<f8"), load("idiosyncratic", "<f8")
group_factor, group_of, lgd = load("group_factor", "<i4"), load("group_of", "<i4"), load("lgd", "<f8")
k = spec["factors"]
cholesky = load("cholesky", "<f8").reshape(k, k)
scenarios, chunk = spec["scenarios"], spec["chunk"]

start = time.perf_counter()
rng = np.random.default_rng(spec["seed"])
losses = np.empty(scenarios)
for first in range(0, scenarios, chunk):
    size = min(chunk, scenarios - first)
    y = rng.standard_normal((size, k)) @ cholesky.T
    conditional = ndtr((threshold - loading * y[:, group_factor]) / idiosyncratic)
    defaults = rng.random((size, len(group_of))) < conditional[:, group_of]
    losses[first : first + size] = defaults @ lgd
ordered = np.sort(losses)
elapsed = time.perf_counter() - start
losses.tofile(f"{folder}/losses-{tag}.bin")
print(json.dumps({"seconds": elapsed, "numpy": np.__version__, "blas": blas(), "python": sys.executable}))
