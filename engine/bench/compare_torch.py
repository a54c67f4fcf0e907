#!/usr/bin/env python3
"""Keiryo vs PyTorch on this CPU, run alternately (K T K T ...) so drift hits both alike.

usage: engine/bench/compare_torch.py [rounds=5] [models=mlp,cnn,resnet20] [torch=default,best] [keiryo=./keiryo]

For each model and round it runs `keiryo bench --models X` and bench_torch.py (PyTorch from
Debian's python3-torch, /usr/bin/python3) under PyTorch's default threads and under its best
setting measured on a 2-core AMD EPYC (cnn: OPENBLAS_NUM_THREADS=1; mlp: threads=1; resnet20: its
default is its best, so "best" runs threads=1 for a second point). PyTorch's inference figure is
its fastest of eager, TorchScript with optimize_for_inference, and (convolutional models)
channels-last TorchScript; each run records all three. It then prints per-run
numbers, medians, and the median of the per-round ratios Keiryo/PyTorch. Output: JSON lines
on stdout ending with a summary object; a table on stderr.
"""
import json, os, statistics, subprocess, sys

A = dict(a.split("=", 1) for a in sys.argv[1:])
ROUNDS = int(A.get("rounds", "5"))
MODELS = A.get("models", "mlp,cnn").split(",")
TORCH_MODES = A.get("torch", "default,best").split(",")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
KEIRYO = A.get("keiryo", os.path.join(ROOT, "keiryo"))
ITERS = {"mlp": (200, 600), "cnn": (50, 300), "resnet20": (2, 10)}
PRESET = {"mlp": "lenet300", "cnn": "lenet5", "resnet20": "resnet20"}
# ResNet-20 is timed on seeded random 3x32x32 images (CIFAR's shape; CIFAR itself cannot be downloaded here).
SYNTHETIC = {"resnet20": "3x32x32"}


def result(cmd, env=None):
    e = dict(os.environ)
    e.update(env or {})
    out = subprocess.run(cmd, env=e, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise SystemExit(f"no RESULT from {' '.join(cmd)}:\n{out.stderr[-2000:]}")


def keiryo(model):
    w, i = ITERS[model]
    cmd = [KEIRYO, "bench", "--models", PRESET[model], f"--warmup={w}", f"--iters={i}"]
    if model in SYNTHETIC:
        cmd.append("--synthetic=" + SYNTHETIC[model])
    r = result(cmd)
    r["train_sps"], r["infer_sps"] = r["trainSps"], r["inferSps"]
    return r


def torch(model, mode):
    w, i = ITERS[model]
    args = ["/usr/bin/python3", os.path.join(HERE, "bench_torch.py"), f"model={model}", f"warmup={w}", f"iters={i}"]
    if model in SYNTHETIC:
        args.append("data=colour32")
    env = {}
    if mode == "best":
        if model == "cnn":
            env["OPENBLAS_NUM_THREADS"] = "1"
        else:
            args.append("threads=1")
    r = result(args, env)
    if not any("openblas" in lib or "mkl" in lib for lib in r.get("native_libs", [])):
        raise SystemExit("PyTorch is linked to the reference BLAS (" + ", ".join(r.get("native_libs", [])) + "), which is "
                         "several times slower than its usual self and not a fair peer; install libopenblas0-pthread.")
    return r


summary = {}
for model in MODELS:
    rows = []
    for r in range(ROUNDS):
        row = {"round": r + 1, "keiryo": keiryo(model)}
        for mode in TORCH_MODES:
            row["torch_" + mode] = torch(model, mode)
        rows.append(row)
        print(json.dumps({"model": model, **{k: (v if k == "round" else {"train_sps": v["train_sps"], "infer_sps": v.get("infer_sps")}) for k, v in row.items()}}), flush=True)
    s = {"rounds": ROUNDS}
    for metric in ("train_sps", "infer_sps"):
        s["keiryo_" + metric + "_median"] = statistics.median(r["keiryo"][metric] for r in rows)
        for mode in TORCH_MODES:
            s[f"torch_{mode}_{metric}_median"] = statistics.median(r["torch_" + mode][metric] for r in rows)
            s[f"ratio_vs_torch_{mode}_{metric}"] = round(statistics.median(
                r["keiryo"][metric] / r["torch_" + mode][metric] for r in rows), 2)
    summary[model] = s
    print(f"{model}: " + ", ".join(f"{k}={v}" for k, v in s.items()), file=sys.stderr, flush=True)
print(json.dumps({"summary": summary}))
