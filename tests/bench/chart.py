#!/usr/bin/env python3
"""Draw build/bench/results.json as a bar chart with gnuplot.

Usage: tests/bench/chart.py [results.json [outdir]]

Writes chart.dat and chart.gp next to the results, then chart.png (pngcairo)
and chart.txt (the same chart in gnuplot's `dumb` terminal, for
docs/performance.md). One group of bars per trap path, one bar per column of
the table plus the GICv3 target, on a log scale: the paths span 1 to a few
thousand instructions.
"""

import json
import subprocess
import sys
from pathlib import Path

# The paths the chart shows (the Linux and boot rows are in the table only:
# their scale is a million times larger).
KEYS = [("hvc", "HVC"), ("smc", "SMC"), ("gicd_read", "GICD rd"), ("gicd_write", "GICD wr"),
        ("gicr_read", "GICR rd"), ("id_read", "ID reg"), ("actlr_read", "ACTLR"),
        ("vtimer_irq", "vtimer IRQ"), ("sgi_self", "self SGI"), ("sgi_cross", "cross SGI"),
        ("wfi_wake", "WFI wake")]


def write_data(results: dict, dat: Path) -> list:
    cols = [c for c in results["columns"] if c["key"] != "native-v2"]
    lines = ["path " + " ".join(f'"{c["label"]}"' for c in cols) + ' "target (v3)"']
    for key, label in KEYS:
        row = results["rows"][key]
        vals = []
        for c in cols:
            v = (row["cells"].get(c["key"]) or {}).get("value")
            vals.append(str(max(v, 1)) if isinstance(v, int) else "?")
        vals.append(str(int(row["target"])) if row.get("target") else "?")
        lines.append(f'"{label}" ' + " ".join(vals))
    dat.write_text("\n".join(lines) + "\n")
    return cols


def script(dat: Path, ncols: int, terminal: str, out: Path) -> str:
    return f"""set terminal {terminal}
set output "{out}"
set title "Trap paths in instructions (QEMU -icount shift=0, -cpu max)"
set datafile missing "?"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.8:*]
set ylabel "instructions (log scale)"
set key top left
set xtics rotate by -30
set grid ytics
plot for [i=2:{ncols + 2}] "{dat}" using i:xtic(1) title columnheader(i)
"""


def draw(results_path: Path, outdir: Path):
    results = json.loads(results_path.read_text())
    dat = outdir / "chart.dat"
    cols = write_data(results, dat)
    gp = outdir / "chart.gp"
    gp.write_text(script(dat, len(cols), 'pngcairo size 1100,560 font "sans,10"',
                         outdir / "chart.png"))
    subprocess.run(["gnuplot", str(gp)], check=True)
    txt = outdir / "chart.txt"
    subprocess.run(["gnuplot"], input=script(dat, len(cols), "dumb size 110,32", txt),
                   text=True, check=True)


if __name__ == "__main__":
    res = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build/bench/results.json")
    draw(res, Path(sys.argv[2]) if len(sys.argv) > 2 else res.parent)
