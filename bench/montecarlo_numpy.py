"""Reference for bench:montecarlo: the same Takahashi-Alexander Monte Carlo, vectorised with numpy
(Debian's python3-numpy). Reads the spec as JSON on argv[1]; prints timing and the median NAV path."""
import json
import math
import sys
import time

import numpy as np

spec = json.loads(sys.argv[1])
p = spec["params"]
paths, steps, spy = spec["paths"], spec["steps"], spec["stepsPerYear"]
gv, tv = spec["growthVolatility"], spec["timingVolatility"]


def per_step(rate):
    return 1 - (1 - min(1.0, max(0.0, rate))) ** (1 / spy)


start = time.perf_counter()
rng = np.random.default_rng(spec["seed"])
mean_log = math.log1p((1 + p["growth"]) ** (1 / spy) - 1) - (gv**2 / spy) / 2
vol = gv / math.sqrt(spy)
timing = np.exp(tv * rng.standard_normal(paths) - tv**2 / 2)
nav = np.full(paths, float(spec["start"]["nav"]))
paid = np.full(paths, float(spec["start"]["paidIn"]))
out = {k: np.empty((steps, paths)) for k in ("nav", "contributions", "distributions", "paidIn")}
rates = p["contributionRates"]
for s in range(steps):
    age = spec["start"]["age"] + (s + 1) / spy
    rc = rates[min(max(1, math.ceil(age - 1e-9)), len(rates)) - 1]
    rd = per_step(min(1.0, max(p["yield"], (age / p["lifeYears"]) ** p["bow"])))
    growth = np.exp(mean_log + vol * rng.standard_normal(paths))
    contribution = (1 - (1 - np.minimum(1.0, rc * timing)) ** (1 / spy)) * (spec["commitment"] - paid)
    grown = nav * growth
    distribution = rd * grown
    nav = grown + contribution - distribution
    paid = paid + contribution
    out["nav"][s] = nav
    out["contributions"][s] = contribution
    out["distributions"][s] = distribution
    out["paidIn"][s] = paid
bands = {k: np.percentile(v, [10, 50, 90], axis=1) for k, v in out.items()}
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "navP50": bands["nav"][1].tolist()}))
