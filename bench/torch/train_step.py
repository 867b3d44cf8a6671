"""One training step (forward + MSE loss + backward + Adam) of dsb4j's drift networks in PyTorch, timed.

The PyTorch side of dsb4j.bench.TrainStepBench: same networks (models.py: the reference 2-D ScoreNetwork,
the default U-Net), same batch, same loss and optimiser. Run with Debian's interpreter, which has torch:

  /usr/bin/python3 bench/torch/train_step.py --model mlp2d --batch 512 --threads 1
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch/train_step.py --model mlp2d --batch 512 --threads 2
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch/train_step.py --model unet --config small28 --batch 32 --threads 2

(OMP_WAIT_POLICY=PASSIVE for 2 threads: torch's two thread pools otherwise spin against each other.)
Prints one JSON line: milliseconds per step (median and mean over the timed steps) and the settings.
"""
import argparse
import json
import os
import statistics
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["mlp2d", "unet"], default="mlp2d")
    ap.add_argument("--config", choices=["small28", "tiny28", "reference28"], default="small28", help="U-Net size")
    ap.add_argument("--batch", type=int, default=None)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=None, help="timed steps")
    ap.add_argument("--warmup", type=int, default=None)
    ap.add_argument("--device", default="cpu", help="cpu or cuda (PyTorch >= 2.0)")
    ap.add_argument("--tf32", choices=["default", "on", "off"], default="default",
                    help="cuda: TF32 tensor cores for convolutions and matmuls (PyTorch's default: convolutions only)")
    a = ap.parse_args()
    for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):   # before torch loads its BLAS
        os.environ[v] = str(a.threads)
    import torch
    import models
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    if a.device != "cpu":
        torch.set_default_device(a.device)
        if a.tf32 != "default":
            torch.backends.cudnn.allow_tf32 = torch.backends.cuda.matmul.allow_tf32 = a.tf32 == "on"
    if a.model == "mlp2d":
        net, batch, steps = models.Mlp2d(2), a.batch or 512, a.steps or 2000
        x = torch.randn(batch, 2) * 5
    else:
        net = {"small28": models.small28, "tiny28": models.tiny28, "reference28": models.reference28}[a.config]()
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
    print(json.dumps({"framework": "pytorch " + torch.__version__, "model": a.model if a.model == "mlp2d" else "unet-" + a.config, "batch": batch, "threads": a.threads,
                      "device": torch.cuda.get_device_name() if a.device != "cpu" else "cpu", "tf32": a.tf32, "params": sum(p.numel() for p in net.parameters()), "steps": steps,
                      "ms_per_step_median": round(statistics.median(times), 4), "ms_per_step_mean": round(statistics.mean(times), 4)}))


if __name__ == "__main__":
    main()
