#!/usr/bin/env python3
"""Time oneDNN spends per kind of primitive, from its verbose log.

usage: engine/bench/onednn_breakdown.py VERBOSE.txt [steps]

oneDNN (inside ND4J's native library) prints one line per primitive it runs when ONEDNN_VERBOSE=1
(DNNL_VERBOSE=1 for its 2.x releases) is set. This adds up the execution times by primitive,
implementation and direction, and the reorders between memory layouts by source and destination
layout, divided by `steps` (the training steps the log covers) when given.

Record with, for example:
  DNNL_VERBOSE=1 ONEDNN_VERBOSE=1 java -XX:+UseSerialGC -cp 'engine/target/keiryo-engine.jar:engine/target/lib/*' \\
      engine/bench/ResNetSteps.java 8 > verbose.txt
"""
import collections
import sys

lines = [l.rstrip("\n").split(",") for l in open(sys.argv[1]) if l.startswith(("dnnl_verbose,exec", "onednn_verbose,exec"))]
steps = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
by_kind, by_reorder = collections.defaultdict(lambda: [0.0, 0]), collections.defaultdict(lambda: [0.0, 0])
total = 0.0
for f in lines:
    try:
        ms = float(f[-1])
    except ValueError:
        continue
    total += ms
    kind = f"{f[3]} {f[4]} {f[5]}" if f[3] != "reorder" else "reorder"
    by_kind[kind][0] += ms
    by_kind[kind][1] += 1
    if f[3] == "reorder":
        src, dst = (f[6].split(" ") + [""])[:2]
        by_reorder[f"{src.split(':')[-2]} -> {dst.split(':')[-2]}"][0] += ms
        by_reorder[f"{src.split(':')[-2]} -> {dst.split(':')[-2]}"][1] += 1
unit = "ms per step" if steps != 1.0 else "ms"
print(f"{total / steps:9.1f} {unit} in oneDNN, {len(lines)} primitive runs")
for title, table in (("by primitive", by_kind), ("reorders by layout", by_reorder)):
    print(f"\n{title}:")
    for k, (ms, n) in sorted(table.items(), key=lambda kv: -kv[1][0]):
        print(f"{ms / steps:9.1f} {unit}  {100 * ms / total:5.1f}%  {n:5d} runs  {k}")
