"""Reference for bench:optimiser: the same allocation model solved by native HiGHS through
scipy.optimize.milp (Debian's python3-scipy). Reads the model as JSON on stdin; prints time and objective."""
import json
import sys
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

model = json.load(sys.stdin)
names = sorted({v for _, v in model["objective"]} | {v for row in model["rows"] for _, v in row["terms"]} | set(model["binaries"]))
index = {name: k for k, name in enumerate(names)}
c = np.zeros(len(names))
for coefficient, name in model["objective"]:
    c[index[name]] = -coefficient  # milp minimises
data, cols, ptr, lb, ub = [], [], [0], [], []
for row in model["rows"]:
    for coefficient, name in row["terms"]:
        data.append(coefficient)
        cols.append(index[name])
    ptr.append(len(data))
    lb.append(-np.inf if row["sense"] == "<=" else row["rhs"])
    ub.append(np.inf if row["sense"] == ">=" else row["rhs"])
A = csr_matrix((data, cols, ptr), shape=(len(model["rows"]), len(names)))
integrality = np.zeros(len(names))
for name in model["binaries"]:
    integrality[index[name]] = 1
best = float("inf")
for _ in range(model["repeats"]):
    start = time.perf_counter()
    result = milp(c, constraints=LinearConstraint(A, lb, ub), integrality=integrality, bounds=Bounds(0, 1),
                  options={"mip_rel_gap": model["gap"], "time_limit": model["timeLimit"], "presolve": model["presolve"]})
    best = min(best, time.perf_counter() - start)
elapsed = best
print(json.dumps({"seconds": elapsed, "objective": -result.fun if result.x is not None else None, "status": result.message}))
