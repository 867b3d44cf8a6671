"""The moons quick configuration of dsb4j's DSB training in PyTorch, timed: the twin of dsb4j.bench.DsbBench
(trainingStep, cacheBuild) and of `./dsb bench --preset moons`.

Same configuration as the Java side (Presets.defaults("moons", "quick")): Mlp2d (models.py, 26,498
parameters), increment parameterisation, N = 20 steps of constant gamma = 0.01, adaptive Gaussian prior,
Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8) with the cosine decay to lr/100 over the half-step, batch 512, a
cache of 2,560 trajectories (51,200 rows) rebuilt every 100 optimiser steps from the frozen forward network.
A cache build, under torch.no_grad(), for each forward step j:
    mean_old = x + net(x, j)                    (increment parameterisation)
    x_new    = mean_old + sqrt(2 gamma) z
    target   = mean_old - (x_new + net(x_new, j))
    store x_new, target and the trained (backward) network's step N-1-j
then a random order of the rows; optimiser step i trains on rows order[(i mod 100)*512 ...][:512], gathered
at that step, as TrajectoryCache.batch does. Run with Debian's interpreter, which has torch:

  /usr/bin/python3 bench/torch/dsb_bench.py --threads 1
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch/dsb_bench.py --threads 2
  python3 bench/torch/dsb_bench.py --device cuda              (on a GPU host, PyTorch >= 2.0)

Prints one JSON line: ms per training step without cache builds (median, mean), ms per cache build (median,
mean), iterations per second of a half-step of --iters steps including its cache builds (one per 100 steps,
the first at step 0), and samples per second generating 2,000 samples with the backward chain (median of
--gen-runs runs; the last step outputs its mean, as dsb4j's Sampler).
"""
import argparse
import json
import math
import os
import statistics
import time

MOONS_MEAN = 0.375
MOONS_SD = math.sqrt((3.25 - 2 / math.pi) / 4 - 0.375 * 0.375)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--iters", type=int, default=300, help="optimiser steps of the timed half-step (with cache builds)")
    ap.add_argument("--steps", type=int, default=500, help="timed optimiser steps without cache builds")
    ap.add_argument("--builds", type=int, default=5, help="timed cache builds")
    ap.add_argument("--gen-runs", type=int, default=5, help="timed generations of --eval-samples")
    ap.add_argument("--eval-samples", type=int, default=2000)
    ap.add_argument("--device", default="cpu", help="cpu or cuda (PyTorch >= 2.0: every tensor and network made there)")
    ap.add_argument("--trajectories", type=int, default=None, help="cache size (default: what 100 steps consume, 2,560)")
    a = ap.parse_args()
    for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):   # before torch loads its BLAS
        os.environ[v] = str(a.threads)
    import torch
    import models
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(42)
    if a.device != "cpu":
        torch.set_default_device(a.device)

    def clock():                                            # a device queues work: wait for it before reading the clock
        if a.device != "cpu":
            torch.cuda.synchronize()
        return time.perf_counter()

    N, gamma, batch, refresh, lr = 20, 0.01, 512, 100, 1e-3
    trajectories = a.trajectories or refresh * batch // N   # 2,560: what R steps consume, as the quick preset
    total_iters = 1500                                      # the quick preset's I: the cosine schedule's length
    noise = math.sqrt(2 * gamma)                            # constant gamma: forward and backward alike

    def moons(n):
        outer = torch.rand(n) < 0.5
        th = math.pi * torch.rand(n)
        x = torch.where(outer, torch.cos(th), 1 - torch.cos(th))
        y = torch.where(outer, torch.sin(th), 0.5 - torch.sin(th))
        return (torch.stack([x, y], 1) - MOONS_MEAN) / MOONS_SD * 7

    p = moons(100)                                          # adaptive prior: per-coordinate mean, one variance
    prior_mean, prior_sd = p.mean(0), ((p - p.mean(0)) ** 2).mean().sqrt()

    def steps_of(j, n):
        return torch.full((n,), float(j))

    def build(fnet):
        """The cache of one half-step: states, targets [N*T, 2], steps [N*T], and a random order of the rows."""
        rows = N * trajectories
        states, targets, steps = torch.empty(rows, 2), torch.empty(rows, 2), torch.empty(rows)
        with torch.no_grad():
            x = moons(trajectories)
            for j in range(N):
                k = steps_of(j, trajectories)
                mean_old = x + fnet(x, k)
                x_new = mean_old + noise * torch.randn_like(x)
                target = mean_old - (x_new + fnet(x_new, k))
                r = slice(j * trajectories, (j + 1) * trajectories)
                states[r], targets[r] = x_new, target
                steps[r] = N - 1 - j
                x = x_new
        return states, targets, steps, torch.randperm(rows)

    def cosine(i):
        lo = lr / 100
        return lo if i >= total_iters else lo + (lr - lo) * 0.5 * (1 + math.cos(math.pi * i / total_iters))

    def make_trainer():
        bnet = models.Mlp2d(2)
        opt = torch.optim.Adam(bnet.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8)

        def step(cache, i):
            states, targets, steps, order = cache
            b = i % refresh
            idx = order[b * batch:(b + 1) * batch]
            xs, ts, ks = states[idx], targets[idx], steps[idx]
            opt.zero_grad(set_to_none=True)
            loss = torch.mean((bnet(xs, ks) - ts) ** 2)
            value = loss.item()
            loss.backward()
            for g in opt.param_groups:
                g["lr"] = cosine(i)
            opt.step()
            return value
        return bnet, step

    fnet = models.Mlp2d(2)

    # ms per cache build
    build(fnet)                                             # warm-up
    build_ms = []
    for _ in range(a.builds):
        t0 = clock()
        build(fnet)
        build_ms.append((clock() - t0) * 1e3)

    # ms per training step, cache built beforehand
    cache = build(fnet)
    _, step = make_trainer()
    for i in range(50):                                     # warm-up
        step(cache, i)
    step_ms = []
    for i in range(50, 50 + a.steps):
        t0 = clock()
        step(cache, i)
        step_ms.append((clock() - t0) * 1e3)

    # a half-step of --iters steps with its cache builds (HalfBridgeTrainer's loop), fresh network and Adam
    _, step = make_trainer()
    t0 = clock()
    for i in range(a.iters):
        if i % refresh == 0:
            cache = build(fnet)
        step(cache, i)
    it_per_s = a.iters / (clock() - t0)

    # generation: the backward chain from prior samples, last step noise-free
    bnet = models.Mlp2d(2)

    def generate(n):
        with torch.no_grad():
            x = prior_mean + prior_sd * torch.randn(n, 2)
            for j in range(N):
                mean = x + bnet(x, steps_of(j, n))
                x = mean if j == N - 1 else mean + noise * torch.randn_like(x)
        return x

    generate(a.eval_samples)                                # warm-up
    gen_s = []
    for _ in range(a.gen_runs):
        t0 = clock()
        generate(a.eval_samples)
        gen_s.append(clock() - t0)

    print(json.dumps({
        "framework": "pytorch " + torch.__version__, "preset": "moons", "budget": "quick", "threads": a.threads,
        "device": torch.cuda.get_device_name() if a.device != "cpu" else "cpu",
        "params": sum(q.numel() for q in fnet.parameters()), "batch": batch, "steps": N, "gamma": gamma,
        "cache_trajectories": trajectories, "cache_rows": N * trajectories, "cache_refresh": refresh,
        "ms_per_step_median": round(statistics.median(step_ms), 4), "ms_per_step_mean": round(statistics.mean(step_ms), 4),
        "ms_per_cache_build_median": round(statistics.median(build_ms), 3), "ms_per_cache_build_mean": round(statistics.mean(build_ms), 3),
        "iters": a.iters, "it_per_s": round(it_per_s, 2),
        "eval_samples": a.eval_samples, "samples_per_s": round(a.eval_samples / statistics.median(gen_s), 1)}))


if __name__ == "__main__":
    main()
