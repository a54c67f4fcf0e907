#!/usr/bin/env python3
"""ONNX import acceptance: a LeNet-5 trained by PyTorch on Fashion-MNIST, exported to ONNX and
imported by Keiryo, has the test accuracy PyTorch measured (to 0.001).

usage: /usr/bin/python3 engine/bench/torch_lenet5_onnx.py [epochs=3] [limit=N] [out=runs/bench-onnx-import] [keiryo=./keiryo]
       [data=/usr/share/datasets/fashion-mnist] [seed=1] [import=yes|no]

PyTorch (Debian's python3-torch) trains Keiryo's LeNet-5 (conv 20 5x5, max pool, conv 50 5x5, max pool,
dense 500 ReLU, dense 10; Adam 1e-3, batch 128) on the training images scaled to [0, 1] as
torchvision's ToTensor does, measures float32 test accuracy on the 10,000 test images, and exports
out/lenet5-fashion.onnx (opset 13, eval mode, dynamic batch). Then `keiryo import` evaluates the
file on the same test set with --normalization scale (pixels / 255). `limit=N` trains on the first N
training images only (a smoke run). Output: JSON lines, the last one
{"event":"summary","torch_accuracy":...,"keiryo_accuracy":...,"difference":...,"passed":...}.
"""
import gzip, json, os, subprocess, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

A = dict(a.split("=", 1) for a in sys.argv[1:])
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EPOCHS = int(A.get("epochs", "3"))
LIMIT = int(A["limit"]) if "limit" in A else None
OUT = A.get("out", os.path.join("runs", "bench-onnx-import"))
KEIRYO = A.get("keiryo", os.path.join(ROOT, "keiryo"))
DATA = A.get("data", "/usr/share/datasets/fashion-mnist")
SEED = int(A.get("seed", "1"))
BATCH = 128


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


def main():
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
        emit(event="epoch", epoch=epoch, seconds=round(time.perf_counter() - t, 1))
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(xte[k:k + 1000]).argmax(1) for k in range(0, len(xte), 1000)])
    torch_acc = (pred == yte).float().mean().item()
    os.makedirs(OUT, exist_ok=True)
    onnx = os.path.join(OUT, "lenet5-fashion.onnx")
    torch.onnx.export(model, xte[:1], onnx, input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13,
                      training=torch.onnx.TrainingMode.EVAL)
    emit(event="torch", accuracy=torch_acc, onnx=onnx, epochs=EPOCHS, train_examples=len(xtr), torch=torch.__version__)
    if A.get("import", "yes") != "yes":
        return
    # The idx source with this folder is the same 60,000/10,000 split PyTorch used.
    cmd = [KEIRYO, "import", onnx, "--source", "idx", "--data", DATA, "--normalization", "scale",
           "--no-latency", "--json", "--runs", os.path.join(OUT, "runs")]
    out = subprocess.run(cmd, capture_output=True, text=True)
    lines = [l for l in out.stdout.splitlines() if l.startswith("{")]
    if out.returncode != 0 or not lines:
        raise SystemExit(f"keiryo import failed ({out.returncode}):\n{out.stderr[-2000:]}")
    result = json.loads(lines[-1])
    keiryo_acc = result["testAccuracy"]
    emit(event="summary", torch_accuracy=torch_acc, keiryo_accuracy=keiryo_acc,
         difference=abs(torch_acc - keiryo_acc), passed=abs(torch_acc - keiryo_acc) <= 0.001, run=result["run"])


if __name__ == "__main__":
    main()
