"""Reference for bench:io: numpy.linalg.inv(I - A), best of N, and the largest difference from Keel's inverse."""
import json
import sys
import time

import numpy as np


def blas():
    """The BLAS numpy was built against: pip's wheels bundle OpenBLAS; Debian's numpy takes the system's libblas."""
    try:
        return np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
    except TypeError:  # numpy < 1.25
        libraries = getattr(np.__config__, "blas_opt_info", {}).get("libraries", [])
        return "system lib" + "/".join(sorted(set(libraries))) if libraries else "unknown"


folder, n, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
a = np.fromfile(f"{folder}/a.bin", dtype=np.float64).reshape(n, n)
keel = np.fromfile(f"{folder}/keel.bin", dtype=np.float64).reshape(n, n)
np.linalg.inv(np.eye(n) - a)  # warm-up
best = float("inf")
for _ in range(repeats):
    t = time.perf_counter()
    inverse = np.linalg.inv(np.eye(n) - a)
    best = min(best, time.perf_counter() - t)
print(
    json.dumps(
        {
            "seconds": best,
            "maxDiff": float(np.max(np.abs(inverse - keel))),
            "numpy": np.__version__,
            "blas": blas(),
        }
    )
)
