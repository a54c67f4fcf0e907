"""Per-stage and per-kind sums of ONNX Runtime traces from `keiryo bench --onnx MODEL --profile DIR`.

ResNet-20's node names start with its stage (stem, s1, s2, s3); the first run of each trace is a
warm-up and is left out, as in the bench's own rows.

    python3 engine/bench/ort_profile_stages.py DIR/*.json
"""
import collections
import json
import sys

QUANTIZE = {"QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear"}
LAYOUT = {"Transpose", "ReorderInput", "ReorderOutput", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity",
          "Cast", "Concat"}

for path in sys.argv[1:]:
    events = json.load(open(path))
    runs = sorted((e for e in events if e.get("cat") == "Session" and e["name"] == "model_run"),
                  key=lambda e: e["ts"])
    start, n = runs[1]["ts"], len(runs) - 1
    wall = sum(r["dur"] for r in runs[1:]) / 1e3 / n
    kinds, stages = collections.Counter(), collections.Counter()
    for e in events:
        if e.get("cat") != "Node" or not e["name"].endswith("_kernel_time") or e["ts"] < start:
            continue
        op, ms = e["args"]["op_name"], e["dur"] / 1e3 / n
        kinds["quantize" if op in QUANTIZE else "layout" if op in LAYOUT else "arithmetic"] += ms
        stage = e["name"].split(".")[0] if e["name"].split(".")[0] in ("stem", "s1b1", "s1b2", "s1b3", "s2b1",
                                                                     "s2b2", "s2b3", "s3b1", "s3b2", "s3b3") else "other"
        stages[stage[:2] if stage != "stem" else "stem"] += ms
    print(f"{path}: {n} runs, {wall:.1f} ms per run")
    print("  by kind:  " + ", ".join(f"{k} {v:.2f} ms ({v / wall:.1%})" for k, v in kinds.most_common()))
    print("  by stage: " + ", ".join(f"{k} {stages[k]:.1f} ms" for k in ("stem", "s1", "s2", "s3", "ot")))
