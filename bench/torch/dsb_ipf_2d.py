"""A PyTorch twin of the whole IPF loop of DSB on a 2-D toy at the reference code's settings, with switches for the
conventions in which dsb4j and the reference code (JTT94/diffusion_schrodinger_bridge, conf/dataset/2d.yaml) can
differ, so the two can be run side by side (docs/results-2d.md, "DSB at the reference budget").

Fixed, as the reference: moons at the reference scale (scikit-learn's evenly spaced arcs, standardised by the
pooled mean and sd of the set, x 7), 10,000 data points; adaptive Gaussian prior (per-coordinate mean of the first
100 points, their pooled unbiased variance); N = 20, constant gamma = 0.01; the 26,498-parameter ScoreNetwork
(models.Mlp2d) re-initialised at every half-step, increment parameterisation (mean_match: False); Adam 1e-4
constant, batch 512, no EMA, no clipping; a cache of 10,000 trajectories rebuilt every 100 steps; the first
backward half-step trained on the reference process (the OU towards the prior), later caches simulated with the
other direction's network; samples from the prior through the backward chain, the last step noise-free.

Switches:
  --time ref   the reference's time input: the simulating network at step k sees t = (k+1) gamma (cumsum of the
               gammas), the trained one T - (k+1) gamma, i.e. one step earlier than it is later sampled at
  --time step  dsb4j's: the network sees its own step index (0..N-1) as a float, identically in training and sampling
  --time time  its own step index times gamma (consistent, in the reference's units)
  --order sequential  the reference's: rows (trajectory-major) served in order, so 100 steps use the first 2,560
                      trajectories and every batch holds every step ~25 times
  --order shuffled    dsb4j's: one random order of all rows per cache

Prints one JSON line per IPF iteration: sliced W2 over 1,000 directions on the half circle between --eval-samples
generated points and as many fresh target points, divided by the sd of the pooled target coordinates (the figure
of bench/scripts/sliced_w2.py), the last 200 losses' mean of each half-step, seconds. --save DIR writes
samples-ipf<K>.npy there.

  OMP_NUM_THREADS=1 /usr/bin/python3 bench/torch/dsb_ipf_2d.py --ipf-iters 6 --iters 5000 --time ref --order sequential
"""
import argparse
import json
import math
import os
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ipf-iters", type=int, default=6)
    ap.add_argument("--iters", type=int, default=5000, help="optimiser steps per half-step (reference code: 10,000)")
    ap.add_argument("--time", choices=["ref", "step", "time"], default="ref")
    ap.add_argument("--order", choices=["sequential", "shuffled"], default="sequential")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--eval-samples", type=int, default=4096)
    ap.add_argument("--trajectories", type=int, default=10_000)
    ap.add_argument("--refresh", type=int, default=100)
    ap.add_argument("--warm-start", action="store_true", help="continue each direction's previous network (reference: use_prev_net)")
    ap.add_argument("--prior-var", choices=["pooled", "diagonal"], default="pooled",
                    help="pooled: torch's var() of the 100 points, one variance (reference); diagonal: per coordinate")
    ap.add_argument("--save", default=None)
    a = ap.parse_args()
    for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[v] = str(a.threads)
    import numpy as np
    import torch
    import models
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
    from sliced_w2 import sliced_w2                         # the figure bench/scripts/sliced_w2.py prints
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)

    N, gamma, batch, lr = 20, 0.01, 512, 1e-4
    T = N * gamma
    noise = math.sqrt(2 * gamma)

    def make_moons(n):                                      # sklearn.datasets.make_moons(n, noise=0), shuffled
        n_out, n_in = n // 2, n - n // 2
        a_out, a_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
        x = np.concatenate([np.stack([np.cos(a_out), np.sin(a_out)], 1),
                            np.stack([1 - np.cos(a_in), 1 - np.sin(a_in) - 0.5], 1)])
        return x[np.random.permutation(n)]

    raw = make_moons(10_000)
    mu, sd = raw.mean(), raw.std()                          # the reference standardises by the pooled mean and sd

    def standardised(x):
        return torch.tensor((x - mu) / sd * 7.0, dtype=torch.float32)

    data = standardised(raw)
    first = data[:100]
    prior_mean, prior_var = first.mean(0), first.var()      # final_adaptive: per-coordinate mean, pooled variance
    if a.prior_var == "diagonal":
        prior_var = first.var(0)
    prior_sd = prior_var.sqrt()

    # the time each direction's network sees at chain step k (its own chain), in simulation and in training
    def sim_time(k):
        return {"ref": (k + 1) * gamma, "step": float(k), "time": k * gamma}[a.time]

    def trained_time(k):                                    # the trained network at the state after step k
        return {"ref": T - (k + 1) * gamma, "step": float(N - 1 - k), "time": (N - 1 - k) * gamma}[a.time]

    def full(v, n):
        return torch.full((n,), float(v))

    def mean_of(net, x, k):                                 # increment parameterisation
        if net is None:                                     # the reference process: OU towards the prior
            return x - gamma * (x - prior_mean) / prior_var
        return x + net(x, full(sim_time(k), len(x)))

    def build(net, start):
        """States, targets and training times, [M*N] rows in the chosen order."""
        m = len(start)
        xs, outs = torch.empty(m, N, 2), torch.empty(m, N, 2)
        with torch.no_grad():
            x = start
            for k in range(N):
                t_old = mean_of(net, x, k)
                x = t_old + noise * torch.randn_like(x)
                xs[:, k], outs[:, k] = x, t_old - mean_of(net, x, k)
        ts = torch.tensor([trained_time(k) for k in range(N)]).repeat(m)
        xs, outs = xs.reshape(-1, 2), outs.reshape(-1, 2)
        if a.order == "shuffled":
            p = torch.randperm(len(xs))
            xs, outs, ts = xs[p], outs[p], ts[p]
        return xs, outs, ts

    def start_of(direction, m):
        if direction == "b":                                # the backward net is trained on forward paths from the data
            return data[torch.randperm(len(data))[:m]]
        return prior_mean + prior_sd * torch.randn(m, 2)

    nets = {"f": None, "b": None}

    def half_step(direction, n):
        other = "f" if direction == "b" else "b"
        sampler = nets[other]                               # None in the first backward half-step: the reference
        net = nets[direction] if a.warm_start and nets[direction] is not None else models.Mlp2d(2)
        opt = torch.optim.Adam(net.parameters(), lr=lr)
        cache, pos, losses = None, 0, []
        for i in range(a.iters):
            if i % a.refresh == 0:
                cache, pos = build(sampler, start_of(direction, a.trajectories)), 0
            xs, outs, ts = cache
            r = slice(pos * batch, (pos + 1) * batch)
            pos += 1
            loss = torch.mean((net(xs[r], ts[r]) - outs[r]) ** 2)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        nets[direction] = net
        return sum(losses[-200:]) / min(200, len(losses))

    def generate(m):
        with torch.no_grad():
            x = prior_mean + prior_sd * torch.randn(m, 2)
            for k in range(N):
                mean = mean_of(nets["b"], x, k)
                x = mean if k == N - 1 else mean + noise * torch.randn_like(x)
        return x.numpy().astype(np.float64)

    t0 = time.time()
    for n in range(1, a.ipf_iters + 1):
        lb = half_step("b", n)
        gen = generate(a.eval_samples)
        target = standardised(make_moons(a.eval_samples)).numpy().astype(np.float64)
        if a.save:
            os.makedirs(a.save, exist_ok=True)
            np.save(os.path.join(a.save, f"samples-ipf{n}.npy"), gen.astype(np.float32))
        sw = sliced_w2(gen, target)[1]
        lf = half_step("f", n)
        print(json.dumps({"ipf": n, "sliced_w2_over_sd": round(sw, 4), "loss_b": round(lb, 5), "loss_f": round(lf, 5),
                          "time": a.time, "order": a.order, "iters": a.iters, "seed": a.seed, "warm_start": a.warm_start, "prior_var": a.prior_var,
                          "seconds": round(time.time() - t0, 1)}), flush=True)


if __name__ == "__main__":
    main()
