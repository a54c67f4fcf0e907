#!/usr/bin/env python3
"""Where a Keiryo run's native time goes, from a JFR recording.

usage: engine/bench/jfr_breakdown.py RECORDING.jfr

ND4J does its arithmetic in native code, which JFR's execution samples skip; its native-method
samples catch every thread inside a native call. Each sample is attributed to training (a fit
call is on the stack) or inference, and to the innermost DL4J layer method that made the call,
so the table reads as "share of native time spent in batch norm's forward pass while training".

Record with, for example:
  OMP_NUM_THREADS=1 java -XX:StartFlightRecording=filename=rn.jfr,settings=profile \\
      -jar engine/target/keiryo-engine.jar bench --models resnet20 --synthetic 3x32x32 --iters 10
"""
import collections
import re
import subprocess
import sys


def main(path):
    text = subprocess.run(
        ["jfr", "print", "--events", "jdk.NativeMethodSample", "--stack-depth", "40", path],
        check=True, capture_output=True, text=True).stdout
    shares = collections.Counter()
    natives = collections.Counter()
    for event in text.split("jdk.NativeMethodSample")[1:]:
        frames = re.findall(r"^\s+([\w.$<>]+)\(", event, re.M)
        if not any("deeplearning4j" in f or "nd4j" in f for f in frames):
            continue  # JVM housekeeping, file reading, the JFR recorder itself
        if any("computeGradientAndScore" in f or "fitHelper" in f for f in frames):
            phase = "train"
        elif any("output" in f.lower() for f in frames):
            phase = "infer"
        else:
            phase = "other"
        layer = next((".".join(f.split(".")[-2:]) for f in frames if "deeplearning4j.nn.layers" in f),
                     "(no layer: updater, loss, data)")
        shares[(phase, layer)] += 1
        natives[frames[0].split(".")[-1]] += 1
    total = sum(shares.values())
    if total == 0:
        sys.exit(f"{path} has no native-method samples of ND4J; record with settings=profile")
    print(f"{total} native samples of ND4J work in {path}")
    for phase in ("train", "infer", "other"):
        part = {k[1]: v for k, v in shares.items() if k[0] == phase}
        if not part:
            continue
        sub = sum(part.values())
        print(f"\n{phase}: {sub / total:.1%} of all samples")
        for layer, v in sorted(part.items(), key=lambda kv: -kv[1]):
            if v / sub >= 0.005:
                print(f"  {v / sub:6.1%}  {layer}")
    print("\nnative entry points:")
    for name, v in natives.most_common(8):
        print(f"  {v / total:6.1%}  {name}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
