#!/usr/bin/env python3
"""Plots delivery latency (p50 and p99) against offered load from `tandem bench ramp --json` output.

    scripts/plot-latency.py bench-results/ramp-tandem.jsonl bench-results/ramp-nats.jsonl -o docs/latency.png

Each input holds one JSON report per line (one per ramp step); the series is named after the
report's target (`hone` is shown as Tandem). matplotlib is installed with pip if it is missing.
"""
import argparse
import json
import subprocess
import sys


def ensure_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "matplotlib"])
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def load(path):
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip().startswith("{")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reports", nargs="+", help="ramp JSON-lines files")
    parser.add_argument("-o", "--output", default="docs/latency.png")
    parser.add_argument("--title", default="Fan-out latency against offered load (loopback)")
    parser.add_argument("--bound", type=float, default=50, help="the ramp's p99 bound in ms (0: not drawn)")
    args = parser.parse_args()
    plt = ensure_matplotlib()

    figure, axes = plt.subplots(figsize=(8, 4.8), dpi=110)
    colors = ["tab:blue", "tab:orange", "tab:green", "tab:red"]
    for index, path in enumerate(args.reports):
        steps = load(path)
        if not steps:
            continue
        name = {"hone": "Tandem", "nats": "nats-server"}.get(steps[0]["target"], steps[0]["target"])
        offered = [step["offeredPerSecond"] for step in steps]
        color = colors[index % len(colors)]
        axes.plot(offered, [s["latency"]["p50"] for s in steps], "o--", color=color, label=f"{name} p50")
        axes.plot(offered, [s["latency"]["p99"] for s in steps], "s-", color=color, label=f"{name} p99")
        for step in steps:
            if step["delivery"]["expected"] > step["delivery"]["delivered"]:
                axes.annotate("loss", (step["offeredPerSecond"], step["latency"]["p99"]), color=color, fontsize=8)
    if args.bound > 0:
        axes.axhline(args.bound, color="grey", linestyle=":", label=f"p99 bound ({args.bound:g} ms)")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("offered messages per second (each delivered to 9 members)")
    axes.set_ylabel("delivery latency, ms")
    axes.set_title(args.title)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(args.output)
    print(args.output)


if __name__ == "__main__":
    main()
