"""The Xen column of make bench-compare: the bench guest as a dom0less domU.

Xen is Debian's xen-hypervisor-4.17-arm64, fetched with `apt-get download`
into .cache/ (scripts/fetch-deb.sh) as the guest kernel is. QEMU boots it with
-kernel at EL2 on the same machine as the other columns (virt, GICv3, 2 CPUs,
-cpu max, -icount shift=0), with QEMU's own DTB plus a /chosen/domU1 node: a
"xen,domain" of 2 vCPUs and 512 MiB with a vpl011, whose kernel module is
build/bench/xen-shim.bin (tests/bench/xen-shim.c: gives Xen's domU DT the
stdout-path the guest framework needs, then runs the unmodified bench guest).
There is no dom0. Xen prints the domU's lines as "(XEN) DOM1: ...". When the
domU powers off Xen does not power the machine off, so the run stops at the
guest's DONE line.
"""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "xen-hypervisor-4.17-arm64"
XEN_DIR = ROOT / ".cache" / PACKAGE
XEN_IMAGE = XEN_DIR / "boot" / "xen-4.17-arm64"
MODULE_ADDR = 0x50000000
DOMU_KIB = 512 * 1024
XEN_BOOTARGS = "console=dtuart dtuart=serial0 bootscrub=0 guest_loglvl=all"


def fetch() -> str:
    """Fetch Xen into the cache; "" when it is there, else why not."""
    if XEN_IMAGE.is_file():
        return ""
    p = subprocess.run(["bash", str(ROOT / "scripts" / "fetch-deb.sh"), f"{PACKAGE}:arm64",
                        str(XEN_DIR)], capture_output=True, text=True)
    if p.returncode != 0:
        return f"apt-get download {PACKAGE}:arm64 failed: " + \
            (p.stderr.strip().splitlines() or ["no message"])[-1]
    if not XEN_IMAGE.is_file():
        return f"{PACKAGE} has no {XEN_IMAGE.relative_to(XEN_DIR)}"
    return ""


def make_dtb(qemu: str, machine_args, dtb: Path, shim: Path):
    """QEMU's DTB for the machine, with Xen's boot arguments and the domU."""
    dtb.parent.mkdir(parents=True, exist_ok=True)
    m = list(machine_args)
    m[m.index("-M") + 1] += f",dumpdtb={dtb}"
    subprocess.run([qemu, *m, "-display", "none", "-nic", "none"], check=True,
                   capture_output=True)
    d = str(dtb)
    size = shim.stat().st_size
    node = f"/chosen/domU1/module@{MODULE_ADDR:x}"
    for args in (
        ["-t", "s", d, "/chosen", "xen,xen-bootargs", XEN_BOOTARGS],
        ["-t", "u", d, "/chosen", "#address-cells", "2"],
        ["-t", "u", d, "/chosen", "#size-cells", "2"],
        ["-c", d, "/chosen/domU1"],
        ["-t", "s", d, "/chosen/domU1", "compatible", "xen,domain"],
        ["-t", "u", d, "/chosen/domU1", "#address-cells", "2"],
        ["-t", "u", d, "/chosen/domU1", "#size-cells", "2"],
        ["-t", "u", d, "/chosen/domU1", "cpus", "2"],
        ["-t", "u", d, "/chosen/domU1", "memory", "0", str(DOMU_KIB)],
        ["-t", "s", d, "/chosen/domU1", "vpl011", ""],
        ["-c", d, node],
        ["-t", "s", d, node, "compatible", "multiboot,kernel", "multiboot,module"],
        ["-t", "u", d, node, "reg", "0", str(MODULE_ADDR), "0", str(size)],
        ["-t", "s", d, node, "bootargs", ""],
    ):
        subprocess.run(["fdtput", *args], check=True, capture_output=True)


def plan_run(build: Path, run_cls, machine, parse_bench, qemu: str):
    shim = build / "bench" / "xen-shim.bin"
    dtb = build / "bench" / "xen-gicv3.dtb"
    m = [*machine(3, True), "-smp", "2", "-m", "2G"]
    return run_cls("xen-gicv3",
                   [*m, "-kernel", str(XEN_IMAGE), "-dtb", str(dtb), "-device",
                    f"loader,file={shim},addr={MODULE_ADDR:#x},force-raw=on"],
                   "xen-v3", parse_bench,
                   prepare=lambda: make_dtb(qemu, m, dtb, shim),
                   stop_on=r"DOM1: DONE \d+ passed")
