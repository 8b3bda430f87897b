#!/usr/bin/env python3
"""Where the instructions of one trap path go: a per-function breakdown.

Boots the bench guest under Tessera (build/qemu-virt/configs/bench) with a
gdb stub, stops at the n-th execution of the guest instruction that starts a
path (after the bench guest's warm-up), single-steps every instruction, at
any exception level, until the guest is back where the path ends, and
prints how many instructions each function ran, in order of first use.
Functions are named from tessera.elf (linked at 0, running at the address
QEMU loaded it, 0x40200000) and bench.elf (at the VM's RAM base, 0x40000000).

Usage: tests/bench/trace.py [--gic 3|2] PATH...   (PATH: see PATHS below)
       tests/bench/trace.py --list
Needs gdb-multiarch. Nothing here is timed: single-stepping does not change
what runs, only how long it takes on the host.
"""

import argparse
import bisect
import os
import socket
import subprocess
import sys
import tempfile
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESSERA_LOAD = 0x40200000
GUEST_LOAD = 0x40000000
IRQ_VECTOR_LOWER = 0x480      # el2_vectors: lower EL, AArch64, IRQ
IRQ_VECTOR_GUEST = 0x280      # bench_vectors: current EL, SP_ELx, IRQ

# path: (guest function, offset of the instruction that starts the path, its
# hit number (warm-up past), where the path ends: "next" = the following
# instruction, "irq" = the guest's IRQ vector; "irq-el2": from the n-th IRQ
# that reaches EL2 once the start instruction has run, to the guest's IRQ
# vector).
PATHS = {
    "hvc": ("bench_hvc", 8, 3, "next"),
    "smc": ("bench_smc", 8, 3, "next"),
    "id_read": ("bench_id_read", 8, 3, "next"),
    "actlr_read": ("bench_actlr_read", 8, 3, "next"),
    "gicd_read": ("bench_read32", 8, 3, "next"),
    "gicd_write": ("bench_write32", 8, 3, "next"),
    "gicr_read": ("bench_read32", 8, 11, "next"),
    "vtimer_irq": ("bench_vtimer", 0, 1, "irq-el2"),
    "sgi_self": ("bench_sgi_sysreg", 12, 3, "irq"),
}
STEP_LIMIT = int(os.environ.get("TRACE_LIMIT", 5000))

GDB_SCRIPT = r"""
import gdb
gdb.execute("set pagination off")
gdb.execute("target remote :%(port)d")
gdb.execute("break *%(start)#x")
for _ in range(1 if %(el2_start)d else %(hits)d):
    gdb.execute("continue", to_string=True)
gdb.execute("delete")
if %(el2_start)d:
    gdb.execute("break *%(el2_vector)#x")
    for _ in range(%(hits)d):
        gdb.execute("continue", to_string=True)
    gdb.execute("delete")
# Steps that take interrupts and run timers, as a run would (QEMU's default
# masks both); set only now: continuing with it set does not stop again.
gdb.execute("maintenance packet qqemu.sstep=0x1", to_string=True)
pcs = [int(gdb.parse_and_eval("$pc")) & 0xffffffffffffffff]
while pcs[-1] != %(end)#x and len(pcs) < %(limit)d:
    gdb.execute("stepi", to_string=True)
    pcs.append(int(gdb.parse_and_eval("$pc")) & 0xffffffffffffffff)
with open("%(out)s", "w") as f:
    f.write("\n".join("%%x" %% p for p in pcs) + "\n")
gdb.execute("kill")
"""


def symbols(elf: Path, base: int):
    out = subprocess.run(["aarch64-linux-gnu-nm", "-n", "--defined-only", str(elf)],
                         check=True, capture_output=True, text=True).stdout
    syms = []
    for line in out.splitlines():
        addr, kind, name = line.split()[:3]
        if kind.lower() in "tw" and not name.startswith("$"):
            syms.append((int(addr, 16) + base, name))
    return syms


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def trace(path: str, gic: int, build: Path) -> list:
    fn, off, hits, mode = PATHS[path]
    tessera = build / "qemu-virt" / "configs" / "bench"
    guest_syms = dict((n, a) for a, n in symbols(build / "guests" / "bench.elf", GUEST_LOAD))
    tess_syms = dict((n, a) for a, n in symbols(tessera / "tessera.elf", TESSERA_LOAD))
    start = guest_syms[fn] + off
    if mode == "next":
        end = start + 4
    else:
        end = guest_syms["bench_vectors"] + IRQ_VECTOR_GUEST
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pcs"
        script = Path(tmp) / "trace.py"
        script.write_text(GDB_SCRIPT % {
            "port": port, "start": start, "hits": hits, "el2_start": mode == "irq-el2",
            "el2_vector": tess_syms["el2_vectors"] + IRQ_VECTOR_LOWER, "end": end,
            "limit": STEP_LIMIT, "out": out})
        qemu = subprocess.Popen(
            ["qemu-system-aarch64", "-M",
             f"virt,virtualization=on,gic-version={gic},dtb-randomness=off", "-cpu", "max",
             "-smp", "2", "-m", "2G", "-display", "none", "-monitor", "none", "-nic", "none",
             "-no-reboot", "-icount", "shift=0,align=off,sleep=off", "-seed", "1",
             "-serial", "null", "-gdb", f"tcp:127.0.0.1:{port}", "-S",
             "-kernel", str(tessera / "tessera.bin")],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            subprocess.run(["gdb-multiarch", "-q", "-batch", "-nx", "-x", str(script)],
                           check=True, capture_output=True, text=True, timeout=600)
            pcs = [int(x, 16) for x in out.read_text().split()]
        finally:
            qemu.kill()
            qemu.wait()
    return pcs


def breakdown(pcs: list, build: Path):
    syms = sorted(symbols(build / "qemu-virt" / "configs" / "bench" / "tessera.elf",
                          TESSERA_LOAD) +
                  [(a, "guest:" + n) for a, n in symbols(build / "guests" / "bench.elf",
                                                         GUEST_LOAD)])
    addrs = [a for a, _ in syms]
    counts = OrderedDict()
    for pc in pcs[:-1]:          # the last PC is where the path ends: not run
        i = bisect.bisect_right(addrs, pc) - 1
        name = syms[i][1] if i >= 0 else f"{pc:#x}"
        counts[name] = counts.get(name, 0) + 1
    return counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--gic", type=int, default=3, choices=(2, 3))
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--build-dir", type=Path, default=ROOT / "build")
    args = ap.parse_args(argv)
    if args.list or not args.paths:
        print("\n".join(PATHS))
        return 0
    for path in args.paths:
        if path not in PATHS:
            print(f"trace: unknown path {path!r} (--list)", file=sys.stderr)
            return 2
        pcs = trace(path, args.gic, args.build_dir.resolve())
        counts = breakdown(pcs, args.build_dir.resolve())
        print(f"{path} (GICv{args.gic}): {len(pcs) - 1} instructions")
        for name, n in counts.items():
            print(f"  {n:6d}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
