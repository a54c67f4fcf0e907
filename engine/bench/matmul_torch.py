"""The matrix products of one LeNet-300-100 training step at batch 128 in PyTorch with torch.set_num_threads(1), as
its Linear layers compute them; the peer of engine/bench/Matmul.java (same shapes, same timing:
median of 7 rounds of 500 calls after 200 untimed ones).

Run: /usr/bin/python3 engine/bench/matmul_torch.py
set_num_threads(1) leaves OpenBLAS's own threads alone; OPENBLAS_NUM_THREADS=1 keeps the products on one core.
"""
import json
import statistics
import time

import torch

torch.set_num_threads(1)
B = 128
total = 0.0


def timed(fn):
    for _ in range(200):
        fn()
    rounds = []
    for _ in range(7):
        s = time.perf_counter()
        for _ in range(500):
            fn()
        rounds.append((time.perf_counter() - s) / 500 * 1e6)
    return statistics.median(rounds)


def report(what, n_in, n_out, us):
    global total
    total += us
    print(f"{what:<16} {n_in:4d} x {n_out:3d}  {us:8.1f} us  {2.0 * B * n_in * n_out / us / 1e3:6.1f} GFLOP/s")


with torch.no_grad():
    for n_in, n_out in [(784, 300), (300, 100), (100, 10)]:
        x, w = torch.rand(B, n_in), torch.rand(n_out, n_in)  # Linear keeps W as out x in
        z = torch.rand(B, n_out)
        report("forward", n_in, n_out, timed(lambda: torch.nn.functional.linear(x, w)))
        report("weight gradient", n_in, n_out, timed(lambda: z.t().mm(x)))
        if n_in != 784:
            report("input gradient", n_in, n_out, timed(lambda: z.mm(w)))
print("RESULT " + json.dumps({"impl": "torch", "torch": torch.__version__, "stepMicros": round(total, 1)}))
