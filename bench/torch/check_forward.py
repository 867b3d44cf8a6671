"""Checks dsb4j's networks against their PyTorch twins (models.py), forward and backward.

Usage: check_forward.py IN.safetensors OUT.safetensors [IN2 OUT2 ...]
IN (written by dsb4j's TorchParityTest, float64) holds the weights as "model.<name>", inputs "x", "t", an
output weighting "w", dsb4j's output "y" and gradients "grad.<name>" of sum(w * y); its metadata names the
model ("mlp2d" with "dim", or "unet" with "config" as JSON). This script reads the file with its own few
lines of struct/json (no safetensors package), loads the weights strictly (names and shapes must match),
recomputes output and gradients with PyTorch and prints the largest differences as one JSON line; exit
status 1 when they exceed 1e-9 (relative). It writes its own output as "y" to OUT, for dsb4j to read back.
"""
import json
import struct
import sys

import torch

import models

DT = {"F32": ("f", 4, torch.float32), "F64": ("d", 8, torch.float64)}


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for name, e in header.items():
        code, size, dtype = DT[e["dtype"]]
        b, end = e["data_offsets"]
        count = (end - b) // size
        vals = struct.unpack("<%d%s" % (count, code), data[base + b:base + end])
        out[name] = torch.tensor(vals, dtype=dtype).reshape(e["shape"])
    return out, meta


def write(path, tensors):
    header, blobs, off = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().double().contiguous()
        blob = struct.pack("<%dd" % t.numel(), *t.flatten().tolist())
        header[name] = {"dtype": "F64", "shape": list(t.shape), "data_offsets": [off, off + len(blob)]}
        blobs.append(blob)
        off += len(blob)
    h = json.dumps(header).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def check(inp, outp):
    tensors, meta = read(inp)
    if meta["model"] == "mlp2d":
        m = models.Mlp2d(int(meta["dim"]))
    else:
        c = json.loads(meta["config"])
        m = models.UNet(c["in"], c["channels"], tuple(c["mult"]), c["blocks"], tuple(c["attention"]), c["heads"],
                        c["groups"], c["scaleShift"], c["timeScale"])
    m = m.double()
    state = {k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")}
    m.load_state_dict(state, strict=True)
    y = m(tensors["x"], tensors["t"])
    (y * tensors["w"]).sum().backward()
    scale = max(1.0, tensors["y"].abs().max().item())
    dy = (y - tensors["y"]).abs().max().item() / scale
    dg = 0.0
    for name, p in m.named_parameters():
        ours = tensors["grad." + name]
        dg = max(dg, (p.grad - ours).abs().max().item() / max(1.0, p.grad.abs().max().item()))
    write(outp, {"y": y})
    print(json.dumps({"model": meta["model"], "params": sum(p.numel() for p in m.parameters()),
                      "max_rel_diff_output": dy, "max_rel_diff_grad": dg}))
    return dy < 1e-9 and dg < 1e-9


def main():
    args = sys.argv[1:]
    ok = all([check(args[i], args[i + 1]) for i in range(0, len(args), 2)])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
