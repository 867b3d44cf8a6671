#!/usr/bin/env python3
"""Point clouds for trying `dsb train --data` on your own data (needs numpy).

    /usr/bin/python3 examples/scripts/point_clouds.py OUT_DIR [--seed S]

writes into OUT_DIR:
  trefoil.npy, trefoil.csv   a noisy trefoil knot in 3-D, 2,000 points, in "user units" (scaled by 1,000 and shifted)
  ring.npy, moons.npy        2-D: a ring of radius 3 (prior end) and two moons (data end), 1,000 points each
  blobs8a.npy, blobs8b.npy   8-D: a mixture of 4 Gaussians and one of 3 Gaussians, 1,500 points each
"""
import argparse
import os

import numpy as np


def trefoil(rng, n):
    t = rng.uniform(0, 2 * np.pi, n)
    pts = np.stack([np.sin(t) + 2 * np.sin(2 * t), np.cos(t) - 2 * np.cos(2 * t), -np.sin(3 * t)], 1)
    pts += 0.08 * rng.standard_normal((n, 3))
    return pts * 1000 + np.array([5000.0, -200.0, 30.0])


def ring(rng, n):
    t = rng.uniform(0, 2 * np.pi, n)
    r = 3 + 0.15 * rng.standard_normal(n)
    return np.stack([r * np.cos(t), r * np.sin(t)], 1)


def moons(rng, n):
    k = rng.integers(0, 2, n)
    t = rng.uniform(0, np.pi, n)
    x = np.where(k == 0, np.cos(t), 1 - np.cos(t))
    y = np.where(k == 0, np.sin(t), 0.5 - np.sin(t))
    return np.stack([x, y], 1) * 2 - np.array([1.0, 0.5]) + 0.1 * rng.standard_normal((n, 2))


def mixture(rng, n, centres, scale):
    k = rng.integers(0, len(centres), n)
    return centres[k] + scale * rng.standard_normal((n, centres.shape[1]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    t = trefoil(rng, 2000)
    np.save(os.path.join(a.out, "trefoil.npy"), t)
    np.savetxt(os.path.join(a.out, "trefoil.csv"), t, delimiter=",", header="x,y,z", comments="")
    np.save(os.path.join(a.out, "ring.npy"), ring(rng, 1000).astype(np.float32))
    np.save(os.path.join(a.out, "moons.npy"), moons(rng, 1000).astype(np.float32))
    centres = np.random.default_rng(100).normal(0, 3, (7, 8))
    np.save(os.path.join(a.out, "blobs8a.npy"), mixture(rng, 1500, centres[:4], 0.5).astype(np.float32))
    np.save(os.path.join(a.out, "blobs8b.npy"), mixture(rng, 1500, centres[4:], 0.7).astype(np.float32))
    print("wrote trefoil.npy/.csv (2000, 3), ring.npy and moons.npy (1000, 2), blobs8a.npy and blobs8b.npy (1500, 8) into", a.out)


if __name__ == "__main__":
    main()
