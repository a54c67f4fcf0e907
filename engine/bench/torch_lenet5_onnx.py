#!/usr/bin/env python3
"""ONNX round trip: a LeNet-5 trained by PyTorch on Fashion-MNIST goes into Keiryo, is pruned and
quantized there, and comes back out as ONNX that ONNX Runtime scores like Keiryo does.

usage: /usr/bin/python3 engine/bench/torch_lenet5_onnx.py [epochs=3] [limit=N] [out=runs/bench-onnx-roundtrip]
       [keiryo=./keiryo] [data=/usr/share/datasets/fashion-mnist] [seed=1] [fraction=0.5] [fine_tune=1]

1. PyTorch (Debian's python3-torch, one thread: it only makes the fixture) trains Keiryo's LeNet-5
   (conv 20 5x5, max pool, conv 50 5x5, max pool, dense 500 ReLU, dense 10; Adam 1e-3, batch 128) on
   the 60,000 training images scaled to [0, 1] as torchvision's ToTensor does, computes the logits and
   accuracy of the 10,000 test images, and exports out/lenet5-fashion.onnx (opset 13, eval mode).
2. `keiryo import` reads it (--normalization scale, pixels / 255); `keiryo eval --logits` scores the
   imported model and writes its logits, compared with PyTorch's for every test image.
3. `keiryo prune` removes `fraction` of the units of every layer (one fine-tuning epoch), `keiryo
   quantize` makes the pruned variant 8-bit (affine, per channel), and `keiryo export` writes the
   pruned variant as float32 ONNX and the quantized one as int8 ONNX (calibrated on 512 training
   images).
4. `keiryo eval` scores each variant in Keiryo and each exported file in ONNX Runtime.

`limit=N` trains PyTorch on the first N training images only (a smoke run). Output: JSON lines (one
per step, then {"event":"summary",...,"passed":...}), then a table of the checks.
The exit code is 0 when every check passed.
"""
import gzip, json, os, subprocess, sys, time

# One thread, set before torch loads: the fixture is cheap to make and the CPU is shared.
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

A = dict(a.split("=", 1) for a in sys.argv[1:])
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EPOCHS = int(A.get("epochs", "3"))
LIMIT = int(A["limit"]) if "limit" in A else None
OUT = os.path.abspath(A.get("out", os.path.join("runs", "bench-onnx-roundtrip")))
KEIRYO = A.get("keiryo", os.path.join(ROOT, "keiryo"))
DATA = A.get("data", "/usr/share/datasets/fashion-mnist")
SEED = int(A.get("seed", "1"))
FRACTION = A.get("fraction", "0.5")
FINE_TUNE = A.get("fine_tune", "1")
BATCH = 128
ACCURACY_TOLERANCE = 0.001
LOGIT_TOLERANCE = 1e-4
EXPORT_TOLERANCE = 0.005
# The idx source with this folder is the same 60,000/10,000 split PyTorch uses.
DATA_ARGS = ["--source", "idx", "--data", DATA]


def read_images(p):
    with gzip.open(p, "rb") as f:
        raw = f.read()
    assert int.from_bytes(raw[0:4], "big") == 0x803, p
    n, r, c = (int.from_bytes(raw[k:k + 4], "big") for k in (4, 8, 12))
    return np.frombuffer(raw, np.uint8, offset=16).reshape(n, 1, r, c).astype(np.float32) / 255.0


def read_labels(p):
    with gzip.open(p, "rb") as f:
        raw = f.read()
    assert int.from_bytes(raw[0:4], "big") == 0x801, p
    return np.frombuffer(raw, np.uint8, offset=8).astype(np.int64)


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 50, 5)
        self.dense1 = nn.Linear(50 * 4 * 4, 500)
        self.output = nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(self.conv1(x), 2)
        x = F.max_pool2d(self.conv2(x), 2)
        return self.output(F.relu(self.dense1(torch.flatten(x, 1))))


def emit(**kv):
    print(json.dumps(kv), flush=True)


def keiryo(*args):
    """Runs a keiryo command with --json and returns its last JSON line."""
    cmd = [KEIRYO, *args, "--json"]
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True)
    lines = [l for l in out.stdout.splitlines() if l.startswith("{")]
    if out.returncode != 0 or not lines:
        raise SystemExit(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(lines[-1]), round(time.perf_counter() - t, 1)


def evaluate(model, *extra):
    r, sec = keiryo("eval", model, *DATA_ARGS, "--no-latency", *extra)
    return r["result"]["accuracy"], sec


def last_variant(result):
    v = result["variants"][-1]
    return os.path.join(result["run"], v["modelFile"]), v


def train_torch():
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    xtr = torch.from_numpy(read_images(f"{DATA}/train-images-idx3-ubyte.gz"))
    ytr = torch.from_numpy(read_labels(f"{DATA}/train-labels-idx1-ubyte.gz"))
    xte = torch.from_numpy(read_images(f"{DATA}/t10k-images-idx3-ubyte.gz"))
    yte = torch.from_numpy(read_labels(f"{DATA}/t10k-labels-idx1-ubyte.gz"))
    if LIMIT:
        xtr, ytr = xtr[:LIMIT], ytr[:LIMIT]
    model = LeNet5()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(1, EPOCHS + 1):
        t = time.perf_counter()
        model.train()
        perm = torch.randperm(len(xtr))
        for k in range(0, len(xtr), BATCH):
            idx = perm[k:k + BATCH]
            opt.zero_grad()
            F.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
            opt.step()
        emit(event="torch-epoch", epoch=epoch, seconds=round(time.perf_counter() - t, 1))
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(xte[k:k + 1000]) for k in range(0, len(xte), 1000)]).numpy()
    accuracy = float((logits.argmax(1) == yte.numpy()).mean())
    onnx = os.path.join(OUT, "lenet5-fashion.onnx")
    torch.onnx.export(model, xte[:1], onnx, input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13,
                      training=torch.onnx.TrainingMode.EVAL)
    emit(event="torch", accuracy=accuracy, onnx=onnx, epochs=EPOCHS, train_examples=len(xtr),
         torch=torch.__version__, threads=torch.get_num_threads())
    return onnx, accuracy, logits


def main():
    os.makedirs(OUT, exist_ok=True)
    runs = os.path.join(OUT, "runs")
    onnx, torch_acc, torch_logits = train_torch()

    imported, sec = keiryo("import", onnx, *DATA_ARGS, "--normalization", "scale", "--no-latency", "--runs", runs)
    model = imported["modelFile"]
    emit(event="import", accuracy=imported["testAccuracy"], parameters=imported["parameters"], model=model, seconds=sec)

    logits_csv = os.path.join(OUT, "keiryo-logits.csv")
    if os.path.exists(logits_csv):
        os.remove(logits_csv)
    keiryo_acc, sec = evaluate(model, "--logits", logits_csv)
    keiryo_logits = np.loadtxt(logits_csv, delimiter=",", dtype=np.float32)
    diff = np.abs(keiryo_logits - torch_logits)
    emit(event="eval-imported", accuracy=keiryo_acc, examples=len(keiryo_logits), max_logit_diff=float(diff.max()),
         mean_logit_diff=float(diff.mean()), max_abs_logit=float(np.abs(torch_logits).max()), seconds=sec)

    pruned, sec = keiryo("prune", model, "--mode", "unit", "--fraction", FRACTION, "--fine-tune-epochs", FINE_TUNE,
                         *DATA_ARGS, "--normalization", "scale", "--no-latency", "--runs", runs)
    pruned_file, pv = last_variant(pruned)
    emit(event="prune", variant=pv["id"], step=pv["step"], accuracy=pv["metrics"]["accuracy"],
         parameters=pv["metrics"]["parameters"], file=pruned_file, seconds=sec)

    quantized, sec = keiryo("quantize", pruned_file, "--mode", "affine", "--bits", "8", *DATA_ARGS,
                            "--normalization", "scale", "--no-latency", "--runs", runs)
    quant_file, qv = last_variant(quantized)
    emit(event="quantize", variant=qv["id"], step=qv["step"], accuracy=qv["metrics"]["accuracy"],
         file_bytes=qv["metrics"]["fileBytes"], file=quant_file, seconds=sec)

    exports = {}
    for name, src, fmt in (("pruned float32", pruned_file, "onnx"), ("pruned int8", quant_file, "onnx-int8")):
        out = os.path.join(OUT, ("lenet5-pruned" if fmt == "onnx" else "lenet5-pruned-int8") + ".onnx")
        if os.path.exists(out):
            os.remove(out)
        args = ["export", src, "--format", fmt, "--out", out]
        if fmt == "onnx-int8":
            args += DATA_ARGS
        _, sec = keiryo(*args)
        k_acc, _ = evaluate(src)
        ort_acc, _ = evaluate(out)
        exports[name] = (k_acc, ort_acc)
        emit(event="export", variant=name, format=fmt, file=out, bytes=os.path.getsize(out), keiryo_accuracy=k_acc,
             onnxruntime_accuracy=ort_acc, seconds=sec)

    checks = [
        ("import: Keiryo's test accuracy = PyTorch's", f"{keiryo_acc:.4f} vs {torch_acc:.4f}",
         abs(keiryo_acc - torch_acc), ACCURACY_TOLERANCE),
        (f"import: max |logit difference|, {len(keiryo_logits):,} test images", f"{diff.max():.2e}",
         float(diff.max()), LOGIT_TOLERANCE),
    ]
    for name, (k_acc, ort_acc) in exports.items():
        checks.append((f"export, {name}: ONNX Runtime's accuracy = Keiryo's", f"{ort_acc:.4f} vs {k_acc:.4f}",
                       abs(ort_acc - k_acc), EXPORT_TOLERANCE))
    rows = [(what, shown, value, tol, value <= tol) for what, shown, value, tol in checks]
    emit(event="summary", torch_accuracy=torch_acc, keiryo_accuracy=keiryo_acc, max_logit_diff=float(diff.max()),
         pruned_parameters=pv["metrics"]["parameters"], imported_parameters=imported["parameters"],
         exports={k: {"keiryo": v[0], "onnxruntime": v[1]} for k, v in exports.items()},
         checks=[{"check": r[0], "value": r[2], "tolerance": r[3], "passed": r[4]} for r in rows],
         passed=all(r[4] for r in rows))
    width = max(len(r[0]) for r in rows)
    print(f"{'check':<{width}}  {'measured':<18} {'difference':>10}  {'tolerance':>9}  result")
    for what, shown, value, tol, ok in rows:
        print(f"{what:<{width}}  {shown:<18} {value:>10.2g}  {tol:>9.0e}  {'pass' if ok else 'FAIL'}")
    return 0 if all(r[4] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
