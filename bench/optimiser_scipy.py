"""Reference for bench:optimiser: the same allocation model solved by native HiGHS through
scipy.optimize.milp (Debian's python3-scipy). Reads the model's arrays (rows in compressed sparse row form,
infinite row bounds as null) as JSON on stdin; prints the best time of the repeats and the objective."""
import json
import sys
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

if sys.argv[1:] == ["--version"]:
    # HiGHS prints its version in its log; scipy has no attribute for it.
    milp(np.array([1.0]), bounds=Bounds(0, 1), options={"disp": True})
    sys.exit(0)

model = json.load(sys.stdin)
bound = lambda values, infinite: np.array([infinite if v is None else v for v in values], dtype=float)
c = -np.array(model["cost"], dtype=float)  # milp minimises; Keel maximises
A = csr_matrix(
    (np.array(model["value"], dtype=float), np.array(model["index"]), np.array(model["starts"])),
    shape=(len(model["rowLower"]), len(c)),
)
constraints = LinearConstraint(A, bound(model["rowLower"], -np.inf), bound(model["rowUpper"], np.inf))
integrality = np.zeros(len(c)) if model.get("relax") else np.array(model["integer"], dtype=float)
best = float("inf")
for _ in range(model["repeats"]):
    start = time.perf_counter()
    result = milp(c, constraints=constraints, integrality=integrality, bounds=Bounds(0, 1),
                  options={"mip_rel_gap": model["gap"], "time_limit": model["timeLimit"], "presolve": model["presolve"]})
    best = min(best, time.perf_counter() - start)
print(json.dumps({"seconds": best, "objective": -result.fun if result.x is not None else None, "status": result.message}))
