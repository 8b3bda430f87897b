#!/usr/bin/env python3
"""make bench: every trap path of Tessera, measured in instructions.

Runs the bench guest (tests/guests/bench) natively at EL1, under a
2-instruction EL2 stub (tests/bench/el2stub.S) and under Tessera on GICv3 and
GICv2, and boots Debian's kernel to its first /init instruction natively and
under Tessera (tests/bench/linux-stamp.S, init-stamp.S). With --xen, also the
bench guest as a dom0less domU of Xen 4.17 (tests/bench/xen.py).

Every QEMU runs with -icount shift=0,align=off,sleep=off -cpu max: the
virtual counter then ticks once per instruction, so all figures are
instruction counts and identical from run to run. Prints one table, writes
build/bench/results.json (and compares it with the previous one), then draws
build/bench/chart.png (tests/bench/chart.py). Method: docs/performance.md.

Usage: tests/bench/run.py [--xen] [-j N] [--build-dir build]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
# Determinism: the counter is the instruction count, nothing depends on host
# time, the DTB carries no random seeds, the guest's RNG (RNDR) is seeded.
QEMU_COMMON = ["-cpu", "max", "-display", "none", "-monitor", "none", "-nic", "none",
               "-no-reboot", "-icount", "shift=0,align=off,sleep=off", "-seed", "1",
               "-rtc", "base=2025-01-01T00:00:00,clock=vm"]
TIMEOUT = 900
STUB_GUEST_ADDR = 0x40400000      # el2stub.S: 2 MiB above where -kernel puts it
LINUX_BOOTARGS = ("console=ttyAMA0 quiet nokaslr "
                  "benchts=0000000000000000 benchtk=0000000000000000")
# What Tessera's generated guest DT keeps of QEMU virt's (core/guest_dt.c);
# the native Linux boot gets QEMU's DTB cut down to the same nodes.
GUEST_DT_NODES = re.compile(r"(psci|memory@.*|pl011@9000000|intc@.*|cpus|timer|apb-pclk|"
                            r"aliases|chosen)")

COLUMNS = [
    ("native", "native EL1"),
    ("stub", "EL2 stub"),
    ("tessera-v3", "Tessera v3"),
    ("tessera-v2", "Tessera v2"),
    ("xen-v3", "Xen 4.17 v3"),
]


@dataclass
class Row:
    key: str
    label: str
    target: Optional[float] = None      # at most this many instructions (GICv3)
    ratio_target: Optional[float] = None  # at most this times the native figure
    note: str = ""


ROWS = [
    Row("hvc", "HVC round trip (PSCI_VERSION)", 80),
    Row("smc", "SMC round trip (PSCI_VERSION)", 80),
    Row("gicd_read", "emulated GICD read (ISENABLER1)", 120),
    Row("gicd_write", "emulated GICD write (IPRIORITYR8)", 200),
    Row("gicr_read", "GICR read (SGI_base ISENABLER0)", 120),
    Row("mmio_passthrough", "passthrough MMIO read (PL031 PeriphID0)"),
    Row("id_read", "ID-register read (ID_AA64PFR0_EL1)", 80),
    Row("actlr_read", "trapped ACTLR_EL1 read"),
    Row("vtimer_irq", "virtual timer IRQ: deadline -> handler", 120),
    Row("sgi_self", "self-SGI: send -> handler", 250),
    Row("sgi_cross", "SGI to other vCPU: send -> handler"),
    Row("wfi_wake", "WFI wake-up: deadline -> next insn"),
    Row("s2_walk", "256 MiB walk, 1 load/4 KiB (65536)", ratio_target=1.0),
    Row("linux1", "Linux to /init, 1 vCPU 256 MiB", ratio_target=1.005),
    Row("linux4", "Linux to /init, 4 vCPUs 256 MiB"),
    Row("boot1", "power-on -> guest, 1 CPU, Linux VM"),
    Row("boot4", "power-on -> guest, 4 CPUs, Linux VM", 10_000_000),
]


@dataclass
class Run:
    """One QEMU boot and what it contributes to the table."""
    name: str
    argv: List[str]
    column: str
    parse: Callable[["Run", str], Dict[str, dict]]
    prepare: Optional[Callable[[], None]] = None
    # A regex on the serial log after which the run is complete and QEMU is
    # stopped (a machine that does not power itself off: Xen's).
    stop_on: Optional[str] = None
    # Set after running:
    log: Optional[Path] = None
    secs: float = 0.0
    error: str = ""
    values: Dict[str, dict] = field(default_factory=dict)


def machine(gic: int, el2: bool) -> List[str]:
    m = f"virt,gic-version={gic},dtb-randomness=off" + (",virtualization=on" if el2 else "")
    return ["-M", m]


BENCH_LINE = re.compile(r"BENCH (\S+) (\S+)(?: (\S+))?(?: (\S+))?\s*$")


def parse_bench(run: Run, text: str) -> Dict[str, dict]:
    """BENCH <key> <min> <max> [undef] | BENCH <key> - <why> (main.c)."""
    if not re.search(r"DONE \d+ passed, 0 failed", text):
        raise RuntimeError("the bench guest did not finish cleanly (no 'DONE n passed, 0 failed')")
    out = {}
    for line in text.splitlines():
        m = BENCH_LINE.search(line)
        if not m:
            continue
        key, lo, hi, flag = m.groups()
        if lo == "-":
            out[key] = {"value": None, "why": hi}
        else:
            out[key] = {"value": int(lo), "max": int(hi), "undef": flag == "undef"}
    return out


LINUX_LINE = re.compile(r"bench-init: t_init=0x([0-9a-f]+) benchts=([0-9a-f]{16}) "
                        r"benchtk=([0-9a-f]{16})")


def parse_linux(boot_key: str, linux_key: str):
    def parse(run: Run, text: str) -> Dict[str, dict]:
        m = LINUX_LINE.search(text)
        if not m:
            raise RuntimeError("no 'bench-init:' line: Linux did not reach /init")
        t_init, t_entry, t_kernel = (int(g, 16) for g in m.groups())
        return {boot_key: {"value": t_entry, "max": t_entry},
                linux_key: {"value": t_init - t_kernel, "max": t_init - t_kernel,
                            "t_entry": t_entry, "t_kernel": t_kernel, "t_init": t_init}}
    return parse


def native_linux_dtb(build: Path, gic: int, smp: int) -> Path:
    """QEMU's own DTB for this machine, cut down to what a Tessera guest gets."""
    dtb = build / "bench" / f"native-linux-gicv{gic}-smp{smp}.dtb"
    dtb.parent.mkdir(parents=True, exist_ok=True)
    m = f"virt,gic-version={gic},dtb-randomness=off,dumpdtb={dtb}"
    subprocess.run([QEMU, "-M", m, "-cpu", "max", "-smp", str(smp), "-m", "256M",
                    "-display", "none", "-nic", "none"], check=True, capture_output=True)
    nodes = subprocess.run(["fdtget", "-l", str(dtb), "/"], check=True, capture_output=True,
                           text=True).stdout.split()
    for n in nodes:
        if not GUEST_DT_NODES.fullmatch(n):
            subprocess.run(["fdtput", "-r", str(dtb), "/" + n], check=True)
    for n in nodes:
        if n.startswith("intc@"):
            for child in subprocess.run(["fdtget", "-l", str(dtb), "/" + n], check=True,
                                        capture_output=True, text=True).stdout.split():
                subprocess.run(["fdtput", "-r", str(dtb), f"/{n}/{child}"], check=True)
    return dtb


def plan(build: Path, xen: bool) -> List[Run]:
    guest = build / "guests" / "bench.bin"
    stub = build / "bench" / "el2stub.bin"
    cfg = build / "qemu-virt" / "configs"
    stamp, initrd = build / "bench" / "linux-stamp.Image", build / "bench" / "initramfs.cpio.gz"
    runs = []
    for gic in (3, 2):
        micro = ["-smp", "2", "-m", "2G"]
        runs += [
            Run(f"native-gicv{gic}", [*machine(gic, False), *micro, "-kernel", str(guest)],
                "native" if gic == 3 else "native-v2", parse_bench),
            Run(f"stub-gicv{gic}", [*machine(gic, True), *micro, "-kernel", str(stub),
                                    "-device", f"loader,file={guest},addr={STUB_GUEST_ADDR:#x},"
                                               "force-raw=on"],
                "stub" if gic == 3 else "stub-v2", parse_bench),
            Run(f"tessera-gicv{gic}", [*machine(gic, True), *micro, "-kernel",
                                       str(cfg / "bench" / "tessera.bin")],
                f"tessera-v{gic}", parse_bench),
            Run(f"tessera-linux1-gicv{gic}", [*machine(gic, True), "-smp", "1", "-m", "1G",
                                              "-kernel", str(cfg / "bench-linux" / "tessera.bin")],
                f"tessera-v{gic}", parse_linux("boot1", "linux1")),
            Run(f"tessera-linux4-gicv{gic}", [*machine(gic, True), "-smp", "4", "-m", "1G",
                                              "-kernel",
                                              str(cfg / "bench-linux-smp4" / "tessera.bin")],
                f"tessera-v{gic}", parse_linux("boot4", "linux4")),
        ]
    for smp in (1, 4):
        dtb = build / "bench" / f"native-linux-gicv3-smp{smp}.dtb"
        runs.append(Run(f"native-linux{smp}", [*machine(3, False), "-smp", str(smp), "-m", "256M",
                                               "-kernel", str(stamp), "-initrd", str(initrd),
                                               "-dtb", str(dtb), "-append", LINUX_BOOTARGS],
                        "native", parse_linux(f"boot{smp}", f"linux{smp}"),
                        prepare=lambda smp=smp: native_linux_dtb(build, 3, smp)))
    if xen:
        import xen as xen_mod
        runs.append(xen_mod.plan_run(build, Run, machine, parse_bench, QEMU))
    return runs


def qemu(argv: List[str], log: Path, stop_on: Optional[str]):
    """Run QEMU to its exit, or until stop_on shows up in log (then kill
    it: status 0). Returns (status, stderr)."""
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=err)
        deadline = time.monotonic() + TIMEOUT
        try:
            while p.poll() is None:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"timeout after {TIMEOUT}s")
                if stop_on and log.exists() and \
                        re.search(stop_on, log.read_text(errors="replace")):
                    p.kill()
                    p.wait()
                    err.seek(0)
                    return 0, err.read().decode(errors="replace")
                time.sleep(0.2)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        err.seek(0)
        return p.returncode, err.read().decode(errors="replace")


def execute(run: Run, logs: Path) -> Run:
    run.log = logs / f"{run.name}.log"
    run.log.unlink(missing_ok=True)
    t0 = time.monotonic()
    try:
        if run.prepare:
            run.prepare()
        # A file chardev never applies back-pressure: what the guest sees of
        # its UART (TXFF) cannot depend on how fast this script reads.
        argv = [QEMU, *run.argv, *QEMU_COMMON, "-serial", f"file:{run.log}"]
        rc, stderr = qemu(argv, run.log, run.stop_on)
        (logs / f"{run.name}.cmd").write_text(" ".join(argv) + "\n" + stderr)
        text = run.log.read_text(errors="replace") if run.log.exists() else ""
        if rc != 0:
            raise RuntimeError(f"QEMU exit status {rc}: {stderr.strip()[-200:]}")
        run.values = run.parse(run, text)
    except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
        run.error = str(e)
    run.secs = time.monotonic() - t0
    return run


# --- the table ----------------------------------------------------------------

def cell_text(row: Row, col: str, cell: Optional[dict]) -> str:
    if cell is None:
        return ""
    if cell.get("error"):
        return "ERROR"
    v = cell.get("value")
    if v is None:
        return {"gicv2": "(v3 only)", "one-cpu": "(1 CPU)", "no-pl031": "(no PL031)"}.get(
            cell.get("why"), cell.get("why", "-"))
    if cell.get("undef") and col.startswith(("native", "stub")):
        return "UNDEF"
    text = f"{v:,}" if v >= 100_000 else str(v)
    return text + ("*" if cell.get("undef") else "")


def verdict(row: Row, cells: Dict[str, dict]) -> str:
    """The GICv3 Tessera figure against the row's target."""
    v = (cells.get("tessera-v3") or {}).get("value")
    if v is None:
        return ""
    if row.target is not None:
        return f"<= {row.target:,.0f}: " + ("ok" if v <= row.target else "MISSED")
    if row.ratio_target is not None:
        n = (cells.get("native") or {}).get("value")
        if not n:
            return ""
        r = v / n
        return f"x{r:.4f} (<= x{row.ratio_target}): " + ("ok" if r <= row.ratio_target
                                                           else "MISSED")
    return ""


def table(results: dict, columns: List[tuple]) -> str:
    head = ["path (instructions)"] + [c[1] for c in columns] + ["target (Tessera v3)"]
    body = []
    for row in ROWS:
        cells = results["rows"][row.key]["cells"]
        body.append([row.label] + [cell_text(row, c[0], cells.get(c[0])) for c in columns] +
                    [verdict(row, cells)])
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]

    def fmt(r):
        return "  ".join(r[0].ljust(widths[0]) if i == 0 else
                         (r[i].ljust(widths[i]) if i == len(r) - 1 else r[i].rjust(widths[i]))
                         for i in range(len(r))).rstrip()
    lines = [fmt(head), "  ".join("-" * w for w in widths)] + [fmt(r) for r in body]
    return "\n".join(lines)


def collect(runs: List[Run]) -> dict:
    rows = {r.key: {"label": r.label, "target": r.target, "ratio_target": r.ratio_target,
                    "cells": {}} for r in ROWS}
    for run in runs:
        col = run.column
        if run.error:
            for key in expected_keys(run):
                rows[key]["cells"][col] = {"error": run.error}
            continue
        for key, cell in run.values.items():
            if key in rows and (col not in rows[key]["cells"] or
                                rows[key]["cells"][col].get("value") is None):
                rows[key]["cells"][col] = dict(cell, run=run.name)
    return {"rows": rows}


def expected_keys(run: Run) -> List[str]:
    if "linux" in run.name:
        n = "4" if "linux4" in run.name else "1"
        return [f"boot{n}", f"linux{n}"]
    return [r.key for r in ROWS if not r.key.startswith(("linux", "boot"))]


def missing(results: dict) -> List[str]:
    """Rows with no measured figure in a column that should have one."""
    out = []
    for key, row in results["rows"].items():
        for col, cell in row["cells"].items():
            if cell.get("error"):
                out.append(f"{key} [{col}]: {cell['error']}")
        if not any((c.get("value") is not None) for c in row["cells"].values()):
            out.append(f"{key}: not measured anywhere")
    return out


def compare(prev: dict, cur: dict) -> List[str]:
    diffs = []
    for key, row in cur["rows"].items():
        for col, cell in row["cells"].items():
            old = prev.get("rows", {}).get(key, {}).get("cells", {}).get(col)
            if old is not None and old.get("value") != cell.get("value"):
                diffs.append(f"{key} [{col}]: {old.get('value')} -> {cell.get('value')}")
    return diffs


def qemu_version() -> str:
    out = subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout
    return out.splitlines()[0] if out else "?"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--xen", action="store_true", help="add the Xen 4.17 column")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--build-dir", type=Path, default=ROOT / "build")
    args = ap.parse_args(argv)
    build = args.build_dir.resolve()
    out = build / "bench"
    logs = out / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    xen_note = ""
    if args.xen:
        import xen as xen_mod
        xen_note = xen_mod.fetch()
    runs = plan(build, args.xen and not xen_note)
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        runs = list(pool.map(lambda r: execute(r, logs), runs))
    for r in runs:
        status = f"error: {r.error}" if r.error else "ok"
        print(f"[bench] {r.name}: {status} ({r.secs:.1f}s, {r.log.relative_to(ROOT)})",
              flush=True)

    results = collect(runs)
    if args.xen:
        reason = xen_note or next((r.error for r in runs if r.column == "xen-v3" and r.error), "")
        if reason:
            xen_note = f"Xen column not available: {reason}"
            for row in results["rows"].values():
                row["cells"].pop("xen-v3", None)
    columns = [c for c in COLUMNS if c[0] != "xen-v3" or (args.xen and not xen_note)]
    results.update({
        "qemu": qemu_version(),
        "qemu_args": QEMU_COMMON,
        "columns": [{"key": k, "label": l} for k, l in columns],
        "runs": {r.name: {"argv": r.argv, "column": r.column, "error": r.error,
                          "log": str(r.log.relative_to(ROOT))} for r in runs},
    })
    print()
    print(table(results, columns))
    print("* the figure includes an UNDEF taken at EL1 and its 10-instruction handler")
    if xen_note:
        print(xen_note)

    path = out / "results.json"
    prev = json.loads(path.read_text()) if path.exists() else None
    path.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    print(f"\nwrote {path.relative_to(ROOT)}")
    if prev is not None:
        diffs = compare(prev, results)
        print("same figures as the previous results.json" if not diffs else
              "differs from the previous results.json:\n  " + "\n  ".join(diffs))

    if shutil.which("gnuplot"):
        import chart
        chart.draw(path, out)
        print(f"wrote {(out / 'chart.png').relative_to(ROOT)}")
    else:
        print("no gnuplot: chart not drawn (scripts/deps.sh bench installs it)")

    bad = missing(results)
    if bad:
        print("\nnot measured:\n  " + "\n  ".join(bad), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
