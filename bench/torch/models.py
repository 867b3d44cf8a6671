"""PyTorch twins of dsb4j's drift networks, with the same parameter names and shapes.

Mlp2d is the reference 2-D ScoreNetwork (bridge/models/basic); UNet is the guided-diffusion U-Net the
reference uses for images, reduced to what dsb4j builds (FiLM conditioning, strided-conv down-sampling,
nearest + conv up-sampling, attention in the middle and at the chosen down-sampling factors, legacy
QKV head order). Used by train_step.py (timings) and check_forward.py (outputs against dsb4j's).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def sinusoid_sin_cos(t, dim):
    half = dim // 2
    f = torch.exp(torch.arange(half, dtype=t.dtype, device=t.device) * -(math.log(10000) / (half - 1)))
    a = t[:, None] * f[None]
    return torch.cat([torch.sin(a), torch.cos(a)], dim=1)


def sinusoid_cos_sin(t, dim, scale=1.0):
    half = dim // 2
    f = torch.exp(-math.log(10000) * torch.arange(half, dtype=t.dtype, device=t.device) / half)
    a = (t * scale)[:, None] * f[None]
    e = torch.cat([torch.cos(a), torch.sin(a)], dim=1)
    return F.pad(e, (0, 1)) if dim % 2 else e


class MLP(nn.Module):
    def __init__(self, inp, widths, act):
        super().__init__()
        layers, prev = [], inp
        for w in widths:
            layers.append(nn.Linear(prev, w))
            prev = w
        self.layers = nn.ModuleList(layers)
        self.act = act

    def forward(self, x):
        for l in self.layers[:-1]:
            x = self.act(l(x))
        return self.layers[-1](x)


class Mlp2d(nn.Module):
    def __init__(self, d=2):
        super().__init__()
        act = nn.LeakyReLU()
        self.net = MLP(64, [128, 128, d], act)
        self.t_encoder = MLP(16, [16, 32], act)
        self.x_encoder = MLP(d, [16, 32], act)

    def forward(self, x, t):
        temb = self.t_encoder(sinusoid_sin_cos(t, 16))
        return self.net(torch.cat([self.x_encoder(x), temb], -1))


class ResBlock(nn.Module):
    def __init__(self, ch, emb, out, groups, scale_shift):
        super().__init__()
        self.out, self.scale_shift = out, scale_shift
        self.in_layers = nn.Sequential(nn.GroupNorm(groups, ch), nn.SiLU(), nn.Conv2d(ch, out, 3, padding=1))
        self.emb_layers = nn.Sequential(nn.SiLU(), nn.Linear(emb, 2 * out if scale_shift else out))
        self.out_layers = nn.Sequential(nn.GroupNorm(groups, out), nn.SiLU(), nn.Dropout(0.0), nn.Conv2d(out, out, 3, padding=1))
        nn.init.zeros_(self.out_layers[3].weight)
        nn.init.zeros_(self.out_layers[3].bias)
        self.skip_connection = nn.Identity() if out == ch else nn.Conv2d(ch, out, 1)

    def forward(self, x, emb):
        h = self.in_layers(x)
        e = self.emb_layers(emb)[:, :, None, None]
        if self.scale_shift:
            scale, shift = torch.chunk(e, 2, dim=1)
            h = self.out_layers[0](h) * (1 + scale) + shift
            h = self.out_layers[1:](h)
        else:
            h = self.out_layers(h + e)
        return self.skip_connection(x) + h


class AttentionBlock(nn.Module):
    def __init__(self, ch, heads, groups):
        super().__init__()
        self.heads = heads
        self.norm = nn.GroupNorm(groups, ch)
        self.qkv = nn.Conv1d(ch, 3 * ch, 1)
        self.proj_out = nn.Conv1d(ch, ch, 1)
        nn.init.zeros_(self.proj_out.weight)
        nn.init.zeros_(self.proj_out.bias)

    def forward(self, x):
        b, c, *sp = x.shape
        x = x.reshape(b, c, -1)
        qkv = self.qkv(self.norm(x)).reshape(b * self.heads, -1, x.shape[2])
        d = qkv.shape[1] // 3
        q, k, v = torch.split(qkv, d, dim=1)
        s = 1 / math.sqrt(math.sqrt(d))
        w = torch.softmax(torch.einsum("bct,bcs->bts", q * s, k * s), dim=-1)
        h = torch.einsum("bts,bcs->bct", w, v).reshape(b, -1, x.shape[2])
        return (x + self.proj_out(h)).reshape(b, c, *sp)


class Down(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.op = nn.Conv2d(ch, ch, 3, stride=2, padding=1)

    def forward(self, x):
        return self.op(x)


class Up(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv = nn.Conv2d(ch, ch, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2, mode="nearest"))


class EmbSeq(nn.Sequential):
    def forward(self, x, emb):
        for m in self:
            x = m(x, emb) if isinstance(m, ResBlock) else m(x)
        return x


class UNet(nn.Module):
    def __init__(self, in_ch=1, mc=32, mult=(1, 2, 2), blocks=1, attn_ds=(), heads=1, groups=8, scale_shift=True, time_scale=1.0):
        super().__init__()
        emb = 4 * mc
        self.mc, self.time_scale = mc, time_scale
        self.time_embed = nn.Sequential(nn.Linear(mc, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.input_blocks = nn.ModuleList([EmbSeq(nn.Conv2d(in_ch, mc, 3, padding=1))])
        chans, ch, ds = [mc], mc, 1
        for level, m in enumerate(mult):
            for _ in range(blocks):
                layers = [ResBlock(ch, emb, m * mc, groups, scale_shift)]
                ch = m * mc
                if ds in attn_ds:
                    layers.append(AttentionBlock(ch, heads, groups))
                self.input_blocks.append(EmbSeq(*layers))
                chans.append(ch)
            if level != len(mult) - 1:
                self.input_blocks.append(EmbSeq(Down(ch)))
                chans.append(ch)
                ds *= 2
        self.middle_block = EmbSeq(ResBlock(ch, emb, ch, groups, scale_shift), AttentionBlock(ch, heads, groups),
                                   ResBlock(ch, emb, ch, groups, scale_shift))
        self.output_blocks = nn.ModuleList([])
        for level, m in list(enumerate(mult))[::-1]:
            for i in range(blocks + 1):
                layers = [ResBlock(ch + chans.pop(), emb, mc * m, groups, scale_shift)]
                ch = mc * m
                if ds in attn_ds:
                    layers.append(AttentionBlock(ch, heads, groups))
                if level and i == blocks:
                    layers.append(Up(ch))
                    ds //= 2
                self.output_blocks.append(EmbSeq(*layers))
        self.out = nn.Sequential(nn.GroupNorm(groups, ch), nn.SiLU(), nn.Conv2d(ch, in_ch, 3, padding=1))
        nn.init.zeros_(self.out[2].weight)
        nn.init.zeros_(self.out[2].bias)

    def forward(self, x, t):
        emb = self.time_embed(sinusoid_cos_sin(t, self.mc, self.time_scale))
        hs, h = [], x
        for b in self.input_blocks:
            h = b(h, emb)
            hs.append(h)
        h = self.middle_block(h, emb)
        for b in self.output_blocks:
            h = b(torch.cat([h, hs.pop()], dim=1), emb)
        return self.out(h)


def small28():
    return UNet(1, 32, (1, 2, 2), 1, (), 1, 8, True)


def tiny28():
    return UNet(1, 16, (1, 2, 2), 1, (), 1, 8, True)


def reference28():
    return UNet(1, 64, (1, 2, 2), 2, (), 4, 32, True)


def count(m):
    return sum(p.numel() for p in m.parameters())


if __name__ == "__main__":
    print("mlp2d", count(Mlp2d(2)))
    print("unet small28", count(small28()))
    print("unet tiny28", count(tiny28()))
    print("unet reference28", count(reference28()))
    print("unet reference32 (3 ch)", count(UNet(3, 64, (1, 2, 2, 2), 2, (), 4, 32, True)))
