#!/usr/bin/env python3
"""Which error of generated normal-to-moons points costs W2: writes three repaired copies of FILE.npy for
`dsb eval --w2-points 10000` to score. PREFIX-bal.npy: each arc resampled to half of the points (the mass split
made exact, shapes kept); PREFIX-proj.npy: points farther than 0.3 from both arcs moved onto the nearest arc;
PREFIX-projbal.npy: both. Usage: python3 bench/scripts/moons_repair.py FILE.npy PREFIX   (needs numpy and scipy)"""
import sys
import numpy as np
from scipy.spatial import cKDTree

from moons_arcs import arc

rng = np.random.default_rng(0)
outer, inner = arc(True, 200000, rng), arc(False, 200000, rng)
X = np.load(sys.argv[1]).reshape(-1, 2).astype(np.float64)
d_out, i_out = cKDTree(outer).query(X)
d_in, i_in = cKDTree(inner).query(X)
on_inner = d_in < d_out
projected = X.copy()
off = np.minimum(d_out, d_in) > 0.3
projected[off & on_inner] = inner[i_in[off & on_inner]]
projected[off & ~on_inner] = outer[i_out[off & ~on_inner]]
n, a, b = len(X), np.where(on_inner)[0], np.where(~on_inner)[0]
half = np.concatenate([rng.choice(a, n // 2, replace=len(a) < n // 2), rng.choice(b, n - n // 2, replace=len(b) < n - n // 2)])
for name, Y in (("bal", X[half]), ("proj", projected), ("projbal", projected[half])):
    np.save(f"{sys.argv[2]}-{name}.npy", Y.astype(np.float32))
    print(f"wrote {sys.argv[2]}-{name}.npy")
