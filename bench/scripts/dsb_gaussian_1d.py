#!/usr/bin/env python3
"""DSB's IPF on the gaussian preset, one coordinate, with exact regressions (no network, no sampling).

Every kernel stays linear-Gaussian, so each half-step's mean matching is solved exactly: the backward net fits
E[X_{k+1} + F_k(X_k) - F_k(X_{k+1}) | X_{k+1}] under the forward chain (DSB's target, exact only as gamma -> 0),
the forward net the mirror target under the backward chain, both with the fixed variance 2*gamma. It prints the
data-end mean, variance and cross-covariance with the prior end of the backward chain started from N(0.1, 1)
after each IPF iteration: what a perfectly fitted DSB run would reach (closed form: -0.1, 1, 0.618).
Usage: python3 bench/scripts/dsb_gaussian_1d.py [N ...]   (default N = 20 40)
"""
import sys


def ipf(n_steps, iterations, mean_data=-0.1, mean_prior=0.1):
    var_step = 1.0 / n_steps                       # 2*gamma, gamma = 1/(2N): sigma^2 = 2T = 1
    a, c = [1.0] * n_steps, [0.0] * n_steps        # forward kernel means a_k x + c_k (Brownian reference first)
    rows = []
    for it in range(1, iterations + 1):
        m, v = [mean_data], [1.0]
        for k in range(n_steps):
            m.append(a[k] * m[k] + c[k]); v.append(a[k] ** 2 * v[k] + var_step)
        al, be = [0.0] * n_steps, [0.0] * n_steps
        for k in range(n_steps):
            r = a[k] * v[k] / v[k + 1]; e0 = m[k] - r * m[k + 1]          # E[X_k | X_{k+1}] = r x + e0
            al[k] = (1 - a[k]) + a[k] * r; be[k] = a[k] * e0
        M, V, C = [0.0] * (n_steps + 1), [0.0] * (n_steps + 1), [0.0] * (n_steps + 1)
        M[n_steps], V[n_steps], C[n_steps] = mean_prior, 1.0, 1.0
        for k in range(n_steps - 1, -1, -1):
            M[k] = al[k] * M[k + 1] + be[k]; V[k] = al[k] ** 2 * V[k + 1] + var_step; C[k] = al[k] * C[k + 1]
        rows.append((it, M[0], V[0], C[0]))
        for k in range(n_steps):
            q = al[k] * V[k + 1] / V[k]; f0 = M[k + 1] - q * M[k]        # E[X_{k+1} | X_k] = q x + f0
            a[k] = (1 - al[k]) + al[k] * q; c[k] = al[k] * f0
    return rows


if __name__ == "__main__":
    for n in [int(s) for s in sys.argv[1:]] or [20, 40]:
        print(f"N = {n}")
        for it, mean, var, cross in ipf(n, 8):
            print(f"  IPF {it}: mean {mean:.4f}  var {var:.4f}  cross-cov {cross:.4f}")
