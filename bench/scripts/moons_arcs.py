#!/usr/bin/env python3
"""Where generated normal-to-moons points sit: the share on the inner arc (nearest arc of torchcfm's unit-scale
moons, Toy2d "moons-cfm"), mean, per-axis sd, and the share farther than 0.3 / 0.6 from both arcs (in the gap).
Usage: python3 bench/scripts/moons_arcs.py FILE.npy [FILE.npy ...]   (needs numpy and scipy)"""
import sys
import numpy as np
from scipy.spatial import cKDTree


def arc(outer, n, rng):
    # the shape itself: arc point, shifted along (1, 1) by U[0, 0.2), then x 3 - 1
    th, s = np.pi * rng.random(n), 0.2 * rng.random(n)
    x = (np.cos(th) if outer else 1 - np.cos(th)) + s
    y = (np.sin(th) if outer else 0.5 - np.sin(th)) + s
    return np.stack([3 * x - 1, 3 * y - 1], 1)


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    outer_arc, inner_arc = cKDTree(arc(True, 40000, rng)), cKDTree(arc(False, 40000, rng))
    for f in sys.argv[1:]:
        X = np.load(f).reshape(-1, 2)
        d_out, _ = outer_arc.query(X)
        d_in, _ = inner_arc.query(X)
        off = np.minimum(d_out, d_in)
        print(f"{f}: n={len(X)} inner={np.mean(d_in < d_out):.3f} mean=({X[:, 0].mean():+.3f},{X[:, 1].mean():+.3f}) "
              f"sd=({X[:, 0].std():.3f},{X[:, 1].std():.3f}) gap>0.3={np.mean(off > 0.3):.3f} gap>0.6={np.mean(off > 0.6):.3f}")
