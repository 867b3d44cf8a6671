#!/usr/bin/env python3
"""SGEMM through NumPy (whatever BLAS it is linked to: OpenBLAS on Debian with libopenblas0-pthread), the outside
reference of bench/scripts/speed-report.sh. Run it single-threaded and pinned, as the script does:

    OPENBLAS_NUM_THREADS=1 taskset -c 1 /usr/bin/python3 bench/scripts/numpy_gemm.py 256 512 1024
    OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS=1 taskset -c 1 /usr/bin/python3 bench/scripts/numpy_gemm.py 256

Prints one line per size: `numpy N best B median M cpu-best B' cpu-median M' GFLOP/s (n=R) core C`, where each of
the R samples times as many C = A.B (float32, row-major, N x N) as fill about 0.3 s, after a warm-up, by the clock
and by this thread's CPU time (time.thread_time: single-threaded OpenBLAS runs in the calling thread; the CPU time
leaves out the time spent waiting for a shared core), and C is the OpenBLAS kernel family (openblas_get_corename)."""
import ctypes
import sys
import time

import numpy as np


def corename():
    names = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                p = line.split()[-1]
                if "openblas" in p.lower() and ".so" in p and p not in names:
                    names.append(p)
    except OSError:
        pass
    for p in names:
        try:
            lib = ctypes.CDLL(p)
            for fn in ("openblas_get_corename", "openblas_get_corename64_", "scipy_openblas_get_corename64_"):
                if hasattr(lib, fn):
                    f = getattr(lib, fn)
                    f.restype = ctypes.c_char_p
                    return f().decode()
        except OSError:
            continue
    return "?"


def main():
    sizes = [int(x) for x in sys.argv[1:]] or [256, 512, 1024]
    rng = np.random.default_rng(1)
    for n in sizes:
        a = (rng.random((n, n), dtype=np.float32) - 0.5)
        b = (rng.random((n, n), dtype=np.float32) - 0.5)
        c = np.empty((n, n), dtype=np.float32)
        flop = 2.0 * n * n * n
        np.matmul(a, b, out=c)
        t0 = time.perf_counter()
        reps = 0
        while time.perf_counter() - t0 < 0.5:
            np.matmul(a, b, out=c)
            reps += 1
        per = max(1, int(0.3 / ((time.perf_counter() - t0) / reps)))
        wall, cpu = [], []
        for _ in range(10):
            t0, u0 = time.perf_counter(), time.thread_time()
            for _ in range(per):
                np.matmul(a, b, out=c)
            wall.append(flop * per / (time.perf_counter() - t0) / 1e9)
            cpu.append(flop * per / (time.thread_time() - u0) / 1e9)
        wall.sort()
        cpu.sort()
        print("numpy %d best %.1f median %.1f cpu-best %.1f cpu-median %.1f GFLOP/s (n=%d) core %s" % (
            n, wall[-1], wall[len(wall) // 2], cpu[-1], cpu[len(cpu) // 2], len(wall), corename()))


if __name__ == "__main__":
    main()
