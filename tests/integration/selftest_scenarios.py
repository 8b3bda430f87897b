"""Self-test of the integration harness, independent of Tessera itself.

Boots fixtures/hello_el2.S, a tiny arm64 Image that prints its exception
level and powers off, through QEMU -kernel and through U-Boot's booti, and
exercises the DTB helpers and Ctrl-A passthrough on the serial input.

  python3 tests/integration/harness.py --scenarios tests/integration/selftest_scenarios.py
"""

import os
import subprocess
import threading
from pathlib import Path

from harness import (Re, Scenario, dump_dtb, fdt_create_node, fdt_delete_node,
                     fdt_delete_prop, fdtget, fdtput, uboot_booti)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CROSS = os.environ.get("CROSS_COMPILE", "aarch64-linux-gnu-")

HELLO_LINES = [
    "hello from EL2",
    "CurrentEL=0x8",
    Re(r"dtb=0x[0-9a-f]{16} magic=ok"),
    "bye",
]

_build_lock = threading.Lock()   # scenarios run in parallel; build once


def hello_image(ctx) -> Path:
    return ctx.build / "test-fixtures" / "hello_el2.bin"


def build_hello(ctx) -> Path:
    """Assemble fixtures/hello_el2.S into a raw Image (no Makefile needed)."""
    src, out = FIXTURES / "hello_el2.S", hello_image(ctx)
    with _build_lock:
        if out.exists() and out.stat().st_mtime >= src.stat().st_mtime:
            return out
        out.parent.mkdir(parents=True, exist_ok=True)
        obj, elf = out.with_suffix(".o"), out.with_suffix(".elf")
        for cmd in ([f"{CROSS}as", "-o", obj, src],
                    [f"{CROSS}ld", "-Ttext=0", "-o", elf, obj],
                    [f"{CROSS}objcopy", "-O", "binary", elf, out]):
            subprocess.run([str(c) for c in cmd], check=True)
    return out


def check_dtb_helpers(ctx, argv, dtb: Path):
    """Round-trip every DTB helper on a DTB dumped from argv's machine."""
    dump_dtb(argv, dtb)
    fdtput(dtb, "/chosen", "tessera,string", "hello")
    fdtput(dtb, "/chosen/tessera-test", "cells", 1, 0x20)   # creates the node
    fdt_create_node(dtb, "/tessera-empty")
    checks = {
        fdtget(dtb, "/chosen", "tessera,string"): "hello",
        fdtget(dtb, "/chosen/tessera-test", "cells", type="x"): "1 20",
        fdtget(dtb, "/psci", "method"): "smc",   # virtualization=on => SMC conduit
    }
    for got, want in checks.items():
        if got != want:
            raise AssertionError(f"fdtget gave {got!r}, expected {want!r}")
    fdt_delete_prop(dtb, "/chosen", "tessera,string")
    fdt_delete_node(dtb, "/chosen/tessera-test")
    fdt_delete_node(dtb, "/tessera-empty")
    for node, prop in (("/chosen", "tessera,string"), ("/chosen/tessera-test", "cells")):
        if subprocess.run(["fdtget", str(dtb), node, prop], capture_output=True).returncode == 0:
            raise AssertionError(f"{node} {prop} still present after delete")


def scenarios(ctx):
    hello = hello_image(ctx)
    prep = lambda: build_hello(ctx)  # noqa: E731
    dtb = ctx.build / "test-fixtures" / "selftest-modified.dtb"
    dtb_argv = ctx.qemu(kernel=None, smp=2, mem="1G")

    def prep_dtb():
        build_hello(ctx)
        check_dtb_helpers(ctx, dtb_argv, dtb)

    return [
        Scenario(name="selftest-kernel-gicv3", argv=ctx.qemu(kernel=hello),
                 timeout=20, expect=HELLO_LINES, prepare=prep),
        Scenario(name="selftest-kernel-gicv2", argv=ctx.qemu(kernel=hello, gic=2, smp=1),
                 timeout=20, expect=HELLO_LINES, prepare=prep),
        Scenario(name="selftest-kernel-modified-dtb",
                 argv=dtb_argv + ["-dtb", str(dtb), "-kernel", str(hello)],
                 timeout=20, expect=HELLO_LINES, prepare=prep_dtb),
        Scenario(name="selftest-uboot-booti", argv=ctx.uboot_qemu(hello),
                 timeout=30, send=uboot_booti(),
                 expect=[Re(r"U-Boot \d{4}\.\d\d.*"), "Starting kernel ...", *HELLO_LINES],
                 prepare=prep),
        # Ctrl-A must reach the guest, not QEMU's monitor mux (where Ctrl-A x
        # quits QEMU). U-Boot's line editor makes it visible: ^A is
        # beginning-of-line, ^D deletes under the cursor, so this line becomes
        # "echo ctrl-a-ok" only if both ^A and the x after one arrived.
        Scenario(name="selftest-uboot-ctrl-a", argv=ctx.uboot_qemu(hello),
                 timeout=30, send=uboot_booti(commands=["echo ctrl-a-ok\x01x\x01\x04"]),
                 expect=["ctrl-a-ok", "Starting kernel ...", *HELLO_LINES],
                 prepare=prep),
    ]
