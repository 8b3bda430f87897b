"""Hostile-guest scenarios (configs/hostile.dts): tests/guests/hostile tries
every escape and disturbance it knows while tests/guests/ticker, next to it,
keeps ticking and watching for anything reaching it. GICv3 and GICv2.

Every line of both guests is checked, in order, each VM on its own stream,
and so is Tessera's log of the hostile VM's faults. That log stops after 32
faults per VM ("further faults not logged"): the hostile guest's first probes
are its neighbour's RAM (3 words, read and write) and the foreign= addresses
of its bootargs, in that order, so the 32 lines are known exactly; everything
after them (the faults whose logging the trap policy may change) is not
logged. The addresses come from configs/hostile.dts itself.
"""

import re
from pathlib import Path

from harness import Re, Scenario

T = "[tessera] "
CONFIG = Path(__file__).resolve().parent / "configs" / "hostile.dts"
FAULT_LOG_MAX = 32  # VM_FAULT_LOG_MAX in core/vm.h


def config_bootargs(label):
    """The bootargs of the VM with this label in configs/hostile.dts, as a
    dict: key -> list of values, in order."""
    text = CONFIG.read_text()
    for block in re.split(r"\bvm@\d+\s*\{", text)[1:]:
        if re.search(r'\blabel\s*=\s*"%s"\s*;' % re.escape(label), block):
            words = re.search(r'\bbootargs\s*=\s*"([^"]*)"\s*;', block).group(1).split()
            out = {}
            for w in words:
                key, _, val = w.partition("=")
                out.setdefault(key, []).append(val)
            return out
    raise ValueError(f"{CONFIG}: no vm labelled {label!r}")


def numbers(s):
    return [int(v, 0) for v in s.split(",") if v]


class Hostile:
    """What configs/hostile.dts gives the hostile VM."""

    ram_base, ram_size = 0x50000000, 0x4000000  # its memory = <...>

    def __init__(self):
        a = config_bootargs("hostile")
        self.neighbour_base, self.neighbour_size = numbers(a["neighbour"][0])
        self.foreign = [(n, int(v, 0)) for n, _, v in (f.partition("@") for f in a["foreign"])]
        self.unowned = ",".join(str(v) for w in a["unowned"] for v in numbers(w))
        self.owned = [v for w in a["owned"] for v in numbers(w)]
        self.quiet_ms = int(a["quiet-ms"][0])
        self.be_mmio = a.get("be-mmio", ["1"])[0] == "1"

    def neighbour_words(self):
        b, s = self.neighbour_base, self.neighbour_size
        return [b, b + s // 2, b + s - 4]

    def neighbour_range(self):
        return f"{self.neighbour_base:#x}-{self.neighbour_base + self.neighbour_size - 1:#x}"


def fault_log(h):
    """Tessera's log of the hostile VM's faults: the first 32, then the cut."""
    addrs = h.neighbour_words() + [a for _, a in h.foreign]
    lines = []
    for a in addrs:
        for rw in ("read", "write"):
            lines.append(Re(rf"\[tessera\] vm hostile: vcpu0: {rw} at IPA {a:#x} \(unmapped\), "
                            rf"PC 0x[0-9a-f]+: external abort injected"))
    assert len(lines) > FAULT_LOG_MAX, "the config must give at least 32 faults before the rest"
    return lines[:FAULT_LOG_MAX] + [T + "vm hostile: further faults not logged"]


def hostile_lines(gic, h):
    """Everything tests/guests/hostile prints, in order (its README lists the probes)."""
    ram_end = h.ram_base + h.ram_size
    own = h.owned[0] if h.owned else 33  # its UART's SPI
    ps = [f"mem: neighbour RAM {h.neighbour_range()}: first, middle and last word abort"]
    ps += [f"mem: {name} 0x{addr:08x}: read and write abort" for name, addr in h.foreign]
    ps += [f"mem: below its RAM 0x{h.ram_base - 4:08x}: read and write abort",
           f"mem: above its RAM 0x{ram_end:08x}: read and write abort"]
    if gic == 3:
        ps += ["mem: GICD beyond 64 KiB 0x08010000: read and write abort",
               "mem: GICR frame beyond its vCPUs 0x080e0000: read and write abort",
               "mem: GICR SGI frame beyond its vCPUs 0x080f0000: read and write abort"]
    else:
        ps += ["mem: GICC beyond the GICV page pair 0x08012000: read and write abort"]
    ps += ["mem: top of the 48-bit IPA space 0xfffffffff000: read aborts",
           "mem: beyond 48-bit IPA 0x1000000000000: read aborts"]
    out = [f"hostile: GICv{gic}, RAM {h.ram_base:#x}-{ram_end - 1:#x}, "
           f"neighbour {h.neighbour_range()}"]
    out += ["PASS " + p for p in ps]

    # The UART: two forged lines (still prefixed), then the PASS lines.
    out += [Re(r"\[hostile\] .*\[tessera\] vm ticker: forged by hostile"),
            "PASS uart: sent a line forging the hypervisor's prefix after CR",
            Re(r"\[hostile\] .*\[tessera\] forged by hostile \(control characters\)"),
            "PASS uart: sent a forged line behind backspaces and escape sequences",
            "PASS uart: UARTCR = 0 (disabled) held by its own virtual PL011"]

    ps = [f"storm: its distributor disabled for {h.quiet_ms} ms holds its timer interrupt; "
          "delivered once re-enabled",
          "storm: virtual timer with deadline 0, 50 ms masked, then taken until turned off, "
          "none after",
          "storm: virtual timer firing with CNTV_CTL.IMASK set: no interrupt",
          "storm: 10000 self SGIs while masked: taken once (pending is one bit)",
          "storm: 10000 self SGIs unmasked: each taken or coalesced, none extra, none left "
          "pending",
          f"storm: SPI {own} made pending 10000 times through ISPENDR: taken at most that often, "
          "none left pending",
          "wfi: 100 WFIs, each woken by its own 1 ms timer",
          "wfe: 10000 WFEs return (event stream); SEV then WFE returns",
          "timer: CNTVCT_EL0 monotonic over 100000 reads, CNTPCT_EL0 too (or trapped)",
          "smccc: 10000 PSCI_VERSION calls in a row: every one answered 1.1",
          "timer: after the storms a 1 ms timer arrives within 5000 ms",
          "smp: both vCPUs at once: 500 HVCs and 500 GICD accesses each, 200 SGIs vCPU 1 to "
          "itself: all answered",
          "smp: vCPU 1 CPU_OFF after its flood: AFFINITY_INFO OFF",
          "smp: vCPU 1 in a loop of aborts through the hypervisor: vCPU 0 keeps its SGIs, timer "
          "and HVCs; the loop stops when told"]
    out += ["PASS " + p for p in ps]

    ps = ["mmio: LDP from GICD_CTLR: external abort (or emulated)",
          "mmio: STP to GICD_IGROUPR2-3 (unowned SPIs): external abort (or ignored)",
          "mmio: post-indexed LDR from GICD_TYPER: external abort (or emulated)",
          "mmio: pre-indexed STR to GICD_TYPER: external abort (or ignored)",
          "mmio: LDXR from GICD, STXR to the UART: external abort (or emulated)",
          "mmio: LDAR from GICD_TYPER emulated like LDR",
          "mmio: LDRSB of IPRIORITYR 0xa0 sign-extends (X 0xffffffffffffffa0, W 0xffffffa0)",
          "mmio: unaligned LDR from GICD_TYPER+2: alignment fault, external abort or zero",
          "mmio: byte write of 0 to GICD_CTLR: ignored (or abort)",
          "mmio: instruction fetch from the GICD 0x8000000: instruction abort",
          "mmio: instruction fetch from the UART 0x9000000: instruction abort",
          f"mmio: instruction fetch from neighbour RAM {h.neighbour_base:#x}: instruction abort"]
    route = "IROUTER" if gic == 3 else "ITARGETSR"
    ps += [f"gic: unowned SPIs {h.unowned}: {reg} reads 0 after a write"
           for reg in ("IGROUPR", "ISENABLER", "ISPENDR", "ISACTIVER", "IPRIORITYR", "ICFGR",
                       route)]
    ps += [f"gic: its own SPI {i}: ISENABLER and IPRIORITYR read back" for i in h.owned]
    if gic == 3:
        ps += ["gic: GICD_CTLR.ARE stays 1 when written 0; no bits beyond the group enables "
               "stick",
               "gic: GICD_TYPER and GICD_IIDR ignore writes",
               "gic: two GICR frames (affinity 0 and 1), the second marked Last",
               "gic: GICR_PROPBASER/PENDBASER at neighbour RAM and EnableLPIs read 0 (no LPIs)",
               "sgi: ICC_SGI1R_EL1 Aff1 1, list 0xffff (MPIDR 0x100-0x10f): delivered nowhere",
               "sgi: ICC_SGI1R_EL1 Aff2 1, list 0xffff (MPIDR 0x10000-0x1000f): delivered "
               "nowhere",
               "sgi: ICC_SGI1R_EL1 Aff3 1, list 0xffff (MPIDR 0x100000000-0x10000000f): "
               "delivered nowhere",
               "sgi: ICC_SGI1R_EL1 RS 1, list 0xffff (Aff0 16-31): delivered nowhere",
               "sgi: ICC_SGI1R_EL1 list 0xfffc (Aff0 2-15, beyond its 2 vCPUs): delivered "
               "nowhere",
               "sgi: ICC_SGI1R_EL1 IRM=1: pending at its vCPU 1 only, not at itself",
               "sgi: ICC_SGI0R_EL1/ICC_ASGI1R_EL1 to MPIDR 0x100-0x10f: nowhere (or UNDEF)"]
    else:
        ps += ["gic: GICD_CTLR written all ones keeps only the two group enables",
               "gic: GICD_TYPER and GICD_IIDR ignore writes",
               "gic: GICD_SPENDSGIR from CPUs 2-7 (not in the VM) ignored",
               f"gic: ITARGETSR of SPI {own} written 0xfd keeps only its CPUs (0x1)",
               "sgi: GICD_SGIR target list 0xfc (CPUs 2-7, beyond its 2 vCPUs): not delivered "
               "to itself",
               "sgi: GICD_SGIR filter 3 (reserved), list 0xff: not delivered to itself",
               "sgi: GICD_SGIR filter 1 (all but self): not delivered to itself"]

    ps += ["psci: CPU_ON of MPIDR 0x2, 0xff, 0x100, 0x10000, 0x100000000: INVALID_PARAMETERS",
           "psci: AFFINITY_INFO of MPIDR 0x2, 0xff, 0x100, 0x10000, 0x100000000: "
           "INVALID_PARAMETERS",
           "psci: AFFINITY_INFO level 1 of 0x100, level 4 of 0x0: INVALID_PARAMETERS",
           "psci: CPU_ON 0x1 at Tessera, neighbour RAM, just outside its RAM, "
           "0xfffffffffffff000: INVALID_ADDRESS, vCPU 1 stays OFF",
           "psci: CPU_SUSPEND powerdown resuming in neighbour RAM: INVALID_ADDRESS",
           "psci: CPU_SUSPEND standby returns SUCCESS, woken by its own timer",
           "psci: CPU_FREEZE, SYSTEM_SUSPEND, SYSTEM_RESET2, MEM_PROTECT, MIGRATE: refused where "
           "PSCI_FEATURES says NOT_SUPPORTED",
           "smccc: 8 unknown function IDs via HVC #0: NOT_SUPPORTED, x1-x17 kept or zeroed",
           "smccc: PSCI_VERSION via HVC #1 and HVC #0xffff: not answered (-1 or UNDEF)",
           "smccc: SiP, Trusted OS and vendor IDs via SMC: NOT_SUPPORTED (or UNDEF)",
           "smccc: CPU_ON and AFFINITY_INFO of MPIDR 3 via SMC: INVALID_PARAMETERS (or UNDEF), "
           "never the firmware's answer",
           "sysreg: reads of 24 EL2 registers (HCR, VTTBR, VBAR, ICH_LR0, ...): UNDEF at EL1",
           "sysreg: writes to 18 EL2 registers (VBAR, HCR, VTTBR, CNTVOFF, ICH_LR0, ...): UNDEF "
           "at EL1",
           "sysreg: EL3 registers (SCR, VBAR, SCTLR, MDCR, ICC_SRE): UNDEF at EL1",
           "sysreg: EL2/EL3 TLBI (ALLE1, VMALLS12E1, IPAS2E1, ALLE2, ...), AT (S12E1R, S1E2R, "
           "...): UNDEF at EL1",
           "sysreg: EL1 maintenance (TLBI VMALLE1IS, VAE1IS, ASIDE1IS, IC IALLUIS): runs",
           "sysreg: ACTLR_EL1 read and written back: trapped (UNDEF) or plain",
           "sysreg: 7 IMPLEMENTATION DEFINED registers (CPUACTLR, L2CTLR, ...): trapped (UNDEF) "
           "or unchanged by a write",
           "debug: MDSCR_EL1, DBGBVR0_EL1, OSLAR/OSLSR/OSDLR_EL1: its own (read back) or trapped "
           "(UNDEF)",
           "debug: BRK #0x1234 taken at EL1 (EC 0x3c, comment 0x1234)",
           "debug: hardware breakpoint on its own code: taken at EL1 (EC 0x31), or the registers "
           "trapped or RAZ",
           "pmu: cycles at EL2 invisible over 100 hypercalls (PMCCFILTR NSH=1): 0 counted, or "
           "the PMU trapped",
           "amu: AMCR/AMCFGR/AMEVCNTR00_EL0: as ID_AA64PFR0_EL1.AMU says (hidden: UNDEF)",
           "trace: TRFCR, TRCPRGCTLR, TRBLIMITR, PMSIDR_EL1: as ID_AA64DFR0_EL1 says (hidden: "
           "UNDEF)",
           "lor: LORID_EL1/LORC_EL1: as ID_AA64MMFR1_EL1.LO says (hidden: UNDEF)",
           "ras: ERRIDR_EL1: no error records visible (NUM 0, or UNDEF)",
           "mte: GCR/RGSR/TFSR/TFSRE0_EL1: as ID_AA64PFR1_EL1.MTE says (below MTE2: UNDEF)",
           "pauth: APIAKeyLo_EL1: its own (read back), or UNDEF where ID_AA64ISAR1_EL1 hides it",
           "id: 16 ID registers: read without a fault (plain or sanitized)",
           "id: MPIDR_EL1 affinity is its vCPU number 0",
           "timer: CNTP_CTL/CNTP_CVAL_EL0: trapped (UNDEF) or its own; CNTPCT_EL0 monotonic",
           "gic: ICC_SRE_EL1.SRE written 0: stays 1; its SGIs still arrive" if gic == 3 else
           "gic: ICC_SRE_EL1 written 0 on GICv2: UNDEF or ignored; its SGIs still arrive",
           "stage1: MMU on, its own tables (VA 39 bits, 4 KiB granule)",
           f"stage1: neighbour RAM through its own mapping at VA {h.neighbour_base:#x}: read and "
           "write abort",
           "stage1: neighbour RAM alias through its own mapping at VA 0x80600000: read and write "
           "abort",
           "stage1: Tessera's image alias through its own mapping at VA 0x80800000: read and "
           "write abort",
           "stage1: host DTB alias through its own mapping at VA 0x80c00000: read and write "
           "abort",
           "stage1: TTBR1 table in neighbour RAM: the walk aborts",
           "stage1: its RAM through Normal-NC, write-through and Device aliases: the same data",
           "stage1: GICD mapped as Normal memory: LDR still emulated",
           "stage1: DC ZVA on its own RAM zeroes exactly one block (or UNDEF where DCZID_EL0.DZP "
           "prohibits it)",
           "stage1: DC ZVA on neighbour RAM and on the GICD: external abort (or UNDEF)",
           "stage1: DC CIVAC/IVAC/CVAC on neighbour RAM: external abort or no-op",
           "stage1: DC IVAC on its own dirty line: the data survives",
           "caches: DC ISW/CSW/CISW over every set and way (CLIDR/CCSIDR): data written before "
           "survives",
           "stage1: vectors rewritten at run time (DC CVAU, IC IVAU): each new handler runs",
           "el0: AArch64 EL0 read of neighbour RAM: data abort from the lower EL (EC 0x24) at "
           "its vector",
           "el0: HVC and SMC at AArch64 EL0: UNDEF at EL1",
           "el0: A32 EL0 read of neighbour RAM: data abort at the AArch32 lower-EL vector",
           "el0: A32 EL0 LDR of GICD_TYPER emulated into r0, then its SVC",
           "el0: T32 EL0 16-bit LDR of GICD_TYPER emulated, PC advanced by 2",
           "el0: HVC at A32 EL0: UNDEF at EL1"]
    out += ["PASS " + p for p in ps]
    out.append("PASS el0: big-endian A32 EL0 LDR of GICD_TYPER reads it byte-reversed, as from "
               "the device" if h.be_mmio else "SKIP el0: big-endian EL0 MMIO (be-mmio=0)")
    passed = sum(1 for l in out if isinstance(l, str) and l.startswith("PASS "))
    out.append(f"DONE {passed} passed, 0 failed")
    return [l if isinstance(l, Re) else "[hostile] " + l for l in out]


def ticker_lines():
    a = config_bootargs("ticker")
    ticks, period, late = (int(a[k][0]) for k in ("ticks", "period-ms", "late-ms"))
    g = "[ticker] "
    return ([g + f"ticker: {ticks} ticks, every {period} ms"] +
            [g + f"tick {i}" for i in range(1, ticks + 1)] +
            [g + f"PASS ticker: {ticks} ticks every {period} ms, none later than {late} ms",
             g + "PASS ticker: only its own timer interrupts, none spurious",
             g + "PASS ticker: its virtual counter never went backwards",
             g + "PASS ticker: 256 KiB of its RAM unchanged at every tick",
             g + "DONE 4 passed, 0 failed"])


def hostile_scenario(ctx, gic):
    h = Hostile()
    tv = T + "vm "
    return Scenario(
        f"hostile-gicv{gic}",
        ctx.qemu(gic=gic, smp=4, mem="2G", kernel=ctx.config_image("hostile")),
        timeout=180,
        expect=[T + "4 of 4 CPUs online at EL2", T + "starting 2 VMs",
                T + "all VMs are off: powering off"],
        # The guests' own failures, Tessera's panics, a forged line that lost
        # its prefix, and anything Tessera has to say about the ticker.
        forbid=["panic", "FAIL", Re(r"^\[tessera\] .*forged by hostile"),
                tv + "ticker: vcpu", tv + "ticker: reset", tv + "hostile: reset",
                "spurious SPI"],
        streams={
            tv + "hostile: ": [
                tv + "hostile: CPU 1,2, RAM 0x50000000-0x53ffffff at host 0x50000000 "
                     "(identity)",
                tv + "hostile: kernel at 0x50000000, DTB at 0x53e00000",
                *fault_log(h),
                tv + "hostile: powered off"],
            tv + "ticker: ": [
                tv + "ticker: CPU 3, RAM 0x60000000-0x61ffffff at host 0x60000000 (identity)",
                tv + "ticker: kernel at 0x60000000, DTB at 0x61e00000",
                tv + "ticker: powered off"],
            "[hostile] ": hostile_lines(gic, h),
            "[ticker] ": ticker_lines(),
        })


def scenarios(ctx):
    return [hostile_scenario(ctx, 3), hostile_scenario(ctx, 2)]
