#!/usr/bin/python3
"""PyTorch peer for Keiryo's distillation comparison: the same student trained from scratch and with
Hinton KD from a teacher's cached logits, same init scheme (xavier-normal, zero bias), Adam, batch,
epochs and seeds for both arms. Reports validation (for choosing settings) and test accuracy.

The teacher's logits come from Keiryo (float32 little-endian, 60,000 x 10, training file order), and
Keiryo's validation indices for seed 42 let the peer train on exactly the examples a Keiryo run trains on:
  java -cp 'engine/target/keiryo-engine.jar:engine/target/lib/*' engine/bench/TeacherLogits.java \
      /work/models/teacher-fashion.zip teacher-train-logits.f32 val-seed42.txt 42
usage: /usr/bin/python3 kd_torch.py logits=teacher-train-logits.f32 student=lenet300|mlp|lenet5 [hidden=100] width=0.25 epochs=10 \
           T=4 alpha=0.7 seeds=42,43,44 lr=1e-3 batch=128 modes=scratch,kd threads=1 [adam=nd4j] [valindices=f]
alpha weighs the soft term: L = (1 - alpha) CE(y, p) + alpha T^2 KL(q_T || p_T), as in Keiryo's KdLoss.
"""
import gzip, json, os, sys
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

A = dict(a.split("=", 1) for a in sys.argv[1:])
def s(k, d): return A.get(k, d)
torch.set_num_threads(int(s("threads", 1)))
DIR = os.environ.get("FMNIST_DIR", "/usr/share/datasets/fashion-mnist")
STUDENT, WIDTH, EPOCHS = s("student", "lenet300"), float(s("width", 0.25)), int(s("epochs", 10))
T, ALPHA, LR, BATCH = float(s("T", 4)), float(s("alpha", 0.7)), float(s("lr", 1e-3)), int(s("batch", 128))
SEEDS = [int(x) for x in s("seeds", "42,43,44").split(",")]
MODES = s("modes", "scratch,kd").split(",")
VALFRAC = float(s("valfrac", 0.1))

def read(p, magic, off):
    with gzip.open(p, "rb") as f: raw = f.read()
    assert int.from_bytes(raw[0:4], "big") == magic, p
    return raw, off

def images(p):
    raw, _ = read(p, 0x803, 16)
    n = int.from_bytes(raw[4:8], "big")
    return np.frombuffer(raw, np.uint8, offset=16).reshape(n, 784).astype(np.float32) / 255.0

def labels(p):
    raw, _ = read(p, 0x801, 8)
    return np.frombuffer(raw, np.uint8, offset=8).astype(np.int64)

X = images(f"{DIR}/train-images-idx3-ubyte.gz"); Y = labels(f"{DIR}/train-labels-idx1-ubyte.gz")
Xte = torch.from_numpy(images(f"{DIR}/t10k-images-idx3-ubyte.gz")); Yte = torch.from_numpy(labels(f"{DIR}/t10k-labels-idx1-ubyte.gz"))
Z = np.fromfile(s("logits", "teacher-train-logits.f32"), dtype="<f4").reshape(-1, 10)
assert Z.shape[0] == X.shape[0], "logits must cover the 60,000 training images in file order"
print(f"teacher argmax vs train labels: {(Z.argmax(1) == Y).mean():.4f}", file=sys.stderr)
if "valindices" in A:  # Keiryo's own hold-out (one index per line), to see the same training examples
    val = np.loadtxt(A["valindices"], dtype=np.int64)
else:  # a fixed stratified hold-out (seed 0) shared by every arm and seed
    rng = np.random.default_rng(0)
    val = np.concatenate([rng.permutation(np.where(Y == k)[0])[: int(round(VALFRAC * (Y == k).sum()))] for k in range(10)])
tr = np.setdiff1d(np.arange(len(Y)), val)
Xtr, Ytr, Ztr = map(torch.from_numpy, (X[tr], Y[tr], Z[tr]))
Xva, Yva = torch.from_numpy(X[val]), torch.from_numpy(Y[val])

def sc(n): return max(1, int(round(n * WIDTH)))

def build():
    if STUDENT in ("lenet300", "mlp"):  # Keiryo lenet300 (784-300w-100w-10) or mlp (hidden=a,b,... times WIDTH), ReLU
        units = [784] + [sc(int(h)) for h in s("hidden", "300,100").split(",")]
        layers = []
        for i, o in zip(units, units[1:]): layers += [nn.Linear(i, o), nn.ReLU()]
        m = nn.Sequential(*layers, nn.Linear(units[-1], 10))
    else:  # Keiryo lenet5 at WIDTH: convs without activation, max pools, dense ReLU
        c1, c2, d = sc(20), sc(50), sc(500)
        m = nn.Sequential(nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, c1, 5), nn.MaxPool2d(2, 2), nn.Conv2d(c1, c2, 5),
                          nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(c2 * 16, d), nn.ReLU(), nn.Linear(d, 10))
    for mod in m.modules():
        if isinstance(mod, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_normal_(mod.weight); nn.init.zeros_(mod.bias)
    return m

@torch.no_grad()
def acc(net, x, y):
    net.eval(); c = sum((net(x[k:k + 2000]).argmax(1) == y[k:k + 2000]).sum().item() for k in range(0, len(y), 2000)); net.train()
    return c / len(y)

def loss_fn(mode, z, y, t):
    ce = F.cross_entropy(z, y)
    if mode == "scratch": return ce
    kl = F.kl_div(F.log_softmax(z / T, 1), F.log_softmax(t / T, 1), log_target=True, reduction="batchmean")
    return (1 - ALPHA) * ce + ALPHA * T * T * kl

class Nd4jAdam(torch.optim.Optimizer):
    """ND4J's AdamUpdater: p -= lr sqrt(1-b2^t)/(1-b1^t) m / (sqrt(v) + eps). torch.optim.Adam adds eps to the
    bias-corrected sqrt(v), a 30x smaller effective eps in the first steps; with this the peer replays a Keiryo run."""
    def __init__(self, params, lr, b1=0.9, b2=0.999, eps=1e-8):
        super().__init__(params, dict(lr=lr, b1=b1, b2=b2, eps=eps))
    @torch.no_grad()
    def step(self):
        for g in self.param_groups:
            for p in g["params"]:
                st = self.state[p]
                if not st: st.update(t=0, m=torch.zeros_like(p), v=torch.zeros_like(p))
                st["t"] += 1; t = st["t"]
                st["m"].mul_(g["b1"]).add_(p.grad, alpha=1 - g["b1"]); st["v"].mul_(g["b2"]).addcmul_(p.grad, p.grad, value=1 - g["b2"])
                p.sub_(g["lr"] * (1 - g["b2"] ** t) ** 0.5 / (1 - g["b1"] ** t) * st["m"] / (st["v"].sqrt() + g["eps"]))

def optimizer(params):
    return Nd4jAdam(params, LR) if s("adam", "torch") == "nd4j" else torch.optim.Adam(params, lr=LR)

res = {m: [] for m in MODES}
for seed in SEEDS:
    for mode in MODES:
        torch.manual_seed(seed); net = build()  # same init and batch order for every mode of a seed
        opt = optimizer(net.parameters())
        g = torch.Generator().manual_seed(seed)
        curve = []
        for e in range(EPOCHS):
            perm = torch.randperm(len(Ytr), generator=g)
            for k in range(0, len(perm), BATCH):
                i = perm[k:k + BATCH]
                opt.zero_grad(set_to_none=True)
                loss_fn(mode, net(Xtr[i]), Ytr[i], Ztr[i]).backward()
                opt.step()
            curve.append(acc(net, Xva, Yva))
        r = dict(seed=seed, val=curve[-1], test=acc(net, Xte, Yte), train=acc(net, Xtr, Ytr), curve=curve)
        res[mode].append(r)
        print(f"{mode} seed {seed}: train {r['train']:.4f} val {r['val']:.4f} test {r['test']:.4f}", file=sys.stderr, flush=True)

params = sum(p.numel() for p in build().parameters())
out = dict(adam=s("adam", "torch"), student=STUDENT, hidden=s("hidden", ""), width=WIDTH, params=params, epochs=EPOCHS, T=T, alpha=ALPHA, lr=LR, batch=BATCH, seeds=SEEDS)
for m, rs in res.items():
    for key in ("val", "test"):
        v = np.array([r[key] for r in rs])
        out[f"{m}_{key}"] = [round(float(v.mean()), 4), round(float(v.std(ddof=1)) if len(v) > 1 else 0.0, 4)]
for m, rs in res.items():  # mean validation accuracy per epoch, to see where the arms cross
    out[f"{m}_val_curve"] = [round(float(np.mean([r["curve"][e] for r in rs])), 4) for e in range(EPOCHS)]
print("RESULT " + json.dumps(out))
