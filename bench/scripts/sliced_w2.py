#!/usr/bin/env python3
"""Sliced W2 between two 2-D point sets over evenly spaced directions on the half circle, divided by the standard
deviation of the target's coordinates pooled (the figure the DSB-fidelity comparison uses).
Usage: sliced_w2.py TARGET.npy SAMPLES.npy [SAMPLES.npy ...] [--directions 1000]"""
import sys
import numpy as np

args = sys.argv[1:]
directions = 1000
if "--directions" in args:
    i = args.index("--directions"); directions = int(args[i + 1]); del args[i:i + 2]
target = np.load(args[0]).astype(np.float64)
angles = np.arange(directions) * np.pi / directions
axes = np.stack([np.cos(angles), np.sin(angles)], axis=1)          # (directions, 2)
for path in args[1:]:
    x = np.load(path).astype(np.float64)
    n = min(len(x), len(target))
    a = np.sort(x[:n] @ axes.T, axis=0)
    b = np.sort(target[:n] @ axes.T, axis=0)
    sw2 = np.sqrt(np.mean((a - b) ** 2))
    print(f"{path}: sliced W2 {sw2:.4f}, / target sd {sw2 / target.std():.4f} ({n} points each)")
