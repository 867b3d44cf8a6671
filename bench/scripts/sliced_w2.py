#!/usr/bin/env python3
"""Sliced W2 between two 2-D point sets over evenly spaced directions on the half circle, divided by the standard
deviation of the target's coordinates pooled (the figure the DSB-fidelity comparison uses; bench/torch/dsb_ipf_2d.py
imports `sliced_w2` from here).
Usage: sliced_w2.py TARGET.npy SAMPLES.npy [SAMPLES.npy ...] [--directions 1000]"""
import sys
import numpy as np


def sliced_w2(x, target, directions=1000):
    """(sliced W2, sliced W2 / target sd, points compared) on the first min(len(x), len(target)) points of each."""
    x, target = np.asarray(x, np.float64), np.asarray(target, np.float64)
    angles = np.arange(directions) * np.pi / directions
    axes = np.stack([np.cos(angles), np.sin(angles)], axis=1)      # (directions, 2)
    n = min(len(x), len(target))
    a = np.sort(x[:n] @ axes.T, axis=0)
    b = np.sort(target[:n] @ axes.T, axis=0)
    sw2 = float(np.sqrt(np.mean((a - b) ** 2)))
    return sw2, sw2 / target.std(), n


if __name__ == "__main__":
    args = sys.argv[1:]
    directions = 1000
    if "--directions" in args:
        i = args.index("--directions"); directions = int(args[i + 1]); del args[i:i + 2]
    target = np.load(args[0])
    for path in args[1:]:
        sw2, rel, n = sliced_w2(np.load(path), target, directions)
        print(f"{path}: sliced W2 {sw2:.4f}, / target sd {rel:.4f} ({n} points each)")
