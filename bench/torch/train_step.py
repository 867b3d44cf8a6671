"""One training step (forward + MSE loss + backward + Adam) of dsb4j's drift networks in PyTorch, timed.

The PyTorch side of dsb4j.bench.TrainStepBench: same networks (models.py: the reference 2-D ScoreNetwork,
the default U-Net), same batch, same loss and optimiser. Run with Debian's interpreter, which has torch:

  /usr/bin/python3 bench/torch/train_step.py --model mlp2d --batch 512 --threads 1
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch/train_step.py --model mlp2d --batch 512 --threads 2
  /usr/bin/python3 bench/torch/train_step.py --model unet --batch 32 --threads 2

(OMP_WAIT_POLICY=PASSIVE for 2 threads: torch's two thread pools otherwise spin against each other.)
Prints one JSON line: milliseconds per step (median and mean over the timed steps) and the settings.
"""
import argparse
import json
import statistics
import time

import torch

import models


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["mlp2d", "unet", "unet-reference"], default="mlp2d")
    ap.add_argument("--batch", type=int, default=None)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=None, help="timed steps")
    ap.add_argument("--warmup", type=int, default=None)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.model == "mlp2d":
        net, batch, steps = models.Mlp2d(2), a.batch or 512, a.steps or 2000
        x = torch.randn(batch, 2) * 5
    else:
        net = models.small28() if a.model == "unet" else models.reference28()
        batch, steps = a.batch or 32, a.steps or 20
        x = torch.randn(batch, 1, 28, 28)
    t = torch.randint(0, 20, (batch,)).float()
    target = torch.randn_like(x)
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = torch.mean((net(x, t) - target) ** 2)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup if a.warmup is not None else max(10, steps // 10)):
        step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
    print(json.dumps({"framework": "pytorch " + torch.__version__, "model": a.model, "batch": batch, "threads": a.threads,
                      "params": sum(p.numel() for p in net.parameters()), "steps": steps,
                      "ms_per_step_median": round(statistics.median(times), 4), "ms_per_step_mean": round(statistics.mean(times), 4)}))


if __name__ == "__main__":
    main()
