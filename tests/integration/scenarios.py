"""Integration scenarios: Tessera on QEMU, checked line by line.

Each scenario names the exact serial lines it expects, in order. Addresses that
depend on how the image was loaded are matched with Re(); everything else is
exact.
"""

from harness import (AllOf, Re, Scenario, dump_dtb, fdt_delete_prop, fdtput,
                     uboot_booti)

T = "[tessera] "


def banner(*, gic=3, smp=4, mem_mib=2048, load=None):
    """The boot log of Tessera with no VMs, from version line to power-off."""
    end = 0x40000000 + mem_mib * 1024 * 1024 - 1
    load_re = f"{load:#x}" if load is not None else "0x[0-9a-f]+"
    lines = [
        T + "Tessera 0.1.0 (qemu-virt) at EL2",
        Re(rf"\[tessera\] loaded at {load_re} \(\d+ KiB\), host DTB at 0x[0-9a-f]+"),
        T + "console: PL011 /pl011@9000000 at 0x9000000",
        T + f"memory: 0x40000000-{end:#x} ({mem_mib} MiB)",
    ]
    if gic == 3:
        lines.append(T + "GICv3 /intc@8000000: GICD 0x8000000, GICR 0x80a0000 (15744 KiB), "
                         "maintenance INTID 25")
    else:
        lines.append(T + "GICv2 /intc@8000000: GICD 0x8000000, GICC 0x8010000, GICH 0x8030000, "
                         "GICV 0x8040000, maintenance INTID 25")
    lines += [
        T + "timer: INTIDs EL1 physical 30, virtual 27, EL2 physical 26",
        T + "PSCI 1.1 via smc",
        T + "cpu0: MPIDR 0x0 online (boot CPU)",
    ]
    lines += [T + f"cpu{i}: MPIDR {i:#x} online" for i in range(1, smp)]
    lines += [T + f"{smp} of {smp} CPUs online at EL2", T + "no VMs configured: powering off"]
    return lines


def boot_stopped(error):
    return [T + "error: " + error, T + "boot stopped"]


def broken_dtb(ctx, name, edit, *, gic=3):
    """A scenario booting Tessera on QEMU's own DTB after `edit(dtb_path)`."""
    dtb = ctx.build / "test-dtbs" / f"{name}.dtb"
    base = ctx.qemu(gic=gic, kernel=None)

    def prepare():
        dump_dtb(base, dtb)
        edit(dtb)

    return dtb, prepare


def dtb_scenario(ctx, name, edit, expect, *, gic=3, forbid=None):
    dtb, prepare = broken_dtb(ctx, name, edit, gic=gic)
    sc = Scenario(name, ctx.qemu(gic=gic, extra=["-dtb", str(dtb)]), timeout=30,
                  expect=expect, prepare=prepare)
    if forbid is not None:
        sc.forbid = forbid
    return sc


def set_prop(node, prop, *values, type=None):
    return lambda dtb: fdtput(dtb, node, prop, *values, type=type)


def boot_scenarios(ctx):
    return [
        Scenario("boot-gicv3-4cpu", ctx.qemu(gic=3, smp=4), timeout=30,
                 expect=banner(gic=3, smp=4, load=0x40200000)),
        Scenario("boot-gicv3-1cpu-a57", ctx.qemu(gic=3, smp=1, cpu="cortex-a57", mem="1G"),
                 timeout=30, expect=banner(gic=3, smp=1, mem_mib=1024)),
        Scenario("boot-gicv2-4cpu", ctx.qemu(gic=2, smp=4), timeout=30,
                 expect=banner(gic=2, smp=4)),
        Scenario("boot-gicv2-8cpu-a53", ctx.qemu(gic=2, smp=8, cpu="cortex-a53", mem="1G"),
                 timeout=30, expect=banner(gic=2, smp=8, mem_mib=1024)),
        Scenario("uboot-booti-gicv3", ctx.uboot_qemu(gic=3, smp=4), timeout=90,
                 send=uboot_booti(),
                 expect=[Re(r"U-Boot 20\d\d\.\d\d.*"), *banner(gic=3, smp=4, load=0x40400000)]),
        Scenario("uboot-booti-gicv2", ctx.uboot_qemu(gic=2, smp=2), timeout=90,
                 send=uboot_booti(),
                 expect=[Re(r"U-Boot 20\d\d\.\d\d.*"), *banner(gic=2, smp=2, load=0x40400000)]),
    ]


def error_scenarios(ctx):
    return [
        # Without virtualization=on QEMU enters at EL1; Tessera parks after
        # its message, so the harness stops QEMU once the line was seen.
        Scenario("not-el2",
                 [a.replace("virtualization=on", "virtualization=off") for a in ctx.qemu()],
                 timeout=20, exit_code=None,
                 expect=[T + "error: not entered at EL2; Tessera needs the virtualization "
                             "extensions (QEMU: -M virt,virtualization=on)"]),
        dtb_scenario(ctx, "dtb-no-stdout-path",
                     lambda dtb: fdt_delete_prop(dtb, "/chosen", "stdout-path"),
                     boot_stopped("host DTB: /chosen: stdout-path: missing (it names the console)")),
        dtb_scenario(ctx, "dtb-gicv3-no-redistributor",
                     set_prop("/intc@8000000", "reg", 0, 0x08000000, 0, 0x10000),
                     [*banner()[:3],
                      *boot_stopped("host DTB: /intc@8000000: reg: GICv3 needs a redistributor "
                                    "region after the distributor")]),
        dtb_scenario(ctx, "dtb-gicv2-no-virtualization",
                     set_prop("/intc@8000000", "reg", 0, 0x08000000, 0, 0x10000,
                              0, 0x08010000, 0, 0x10000),
                     [*banner(gic=2)[:3],
                      *boot_stopped("host DTB: /intc@8000000: reg: GICv2 needs GICD, GICC, GICH "
                                    "and GICV regions (virtualization extensions)")], gic=2),
        dtb_scenario(ctx, "dtb-gic-no-reg",
                     lambda dtb: fdt_delete_prop(dtb, "/intc@8000000", "reg"),
                     boot_stopped("host DTB: /intc@8000000: reg: missing or malformed (need the "
                                  "distributor)")),
        dtb_scenario(ctx, "dtb-cpu-bad-enable-method",
                     set_prop("/cpus/cpu@2", "enable-method", "parking-protocol"),
                     boot_stopped("host DTB: /cpus/cpu@2: enable-method: \"parking-protocol\" "
                                  "is not supported")),
        dtb_scenario(ctx, "panic-report",
                     set_prop("/chosen", "tessera,selftest", "panic"),
                     [T + "selftest: reading unmapped address 0xfffffffff000",
                      T + "panic: synchronous exception at EL2 on cpu0",
                      Re(r"\[tessera\]   ESR 0x96000004 \(EC 0x25: data abort, same EL, "
                         r"ISS 0x0000004\)"),
                      Re(r"\[tessera\]   ELR 0x[0-9a-f]{16}  FAR 0x0000fffffffff000  "
                         r"SPSR 0x[0-9a-f]{8}  SP 0x[0-9a-f]{16}"),
                      Re(r"\[tessera\]   x0  0x[0-9a-f]{16}  x1  0x[0-9a-f]{16}  .*"),
                      Re(r"\[tessera\]   x28 0x[0-9a-f]{16}  x29 0x[0-9a-f]{16}  "
                         r"x30 0x[0-9a-f]{16}"),
                      T + "system stopped"],
                     forbid=["FAIL"]),
    ]


def guest_lines(label, mem_base, mem_size, probes, reads=()):
    """What one isolation guest (tests/guests/isolation) prints, in order."""
    g = f"[{label}] "
    lines = [g + f"PASS dtb: memory {mem_base:#x} size {mem_size:#x}",
             g + "PASS dtb: 1 cpus",
             g + "PASS dtb: psci method hvc",
             g + f"PASS ram: {mem_size:#x} bytes read/written"]
    lines += [g + f"PASS read 0x{a:08x}: {v:#x}" for a, v in reads]
    for p in probes:
        lines += [g + f"PASS probe 0x{p:08x} read: external abort",
                  g + f"PASS probe 0x{p:08x} write: external abort"]
    lines.append(g + "PASS psci: version 1.1")
    return lines + [g + f"DONE {len(lines)} passed, 0 failed"]


def fault_lines(label, probes):
    """Tessera's log of each probe it turned into an external abort."""
    out = []
    for p in probes:
        for rw in ("read", "write"):
            out.append(Re(rf"\[tessera\] vm {label}: vcpu0: {rw} at IPA {p:#x} \(unmapped\), "
                          rf"PC 0x[0-9a-f]+: external abort injected"))
    return out


ALPHA_PROBES = [0x5ffff000, 0x64000000, 0x40200000, 0x48000000, 0xa000000]
BETA_PROBES = [0x60000000, 0x3ffff000, 0x44000000, 0xa000000, 0x9010000]
ALPHA_READS = [(0x9010fe0, 0x31)]  # the PL031 passed through to alpha: PeriphID0


def isolation_scenario(ctx, gic):
    tv = T + "vm "
    return Scenario(
        f"isolation-2vm-gicv{gic}", ctx.qemu(gic=gic, smp=4, kernel=ctx.config_image("isolation")),
        timeout=60,
        expect=[*banner(gic=gic, smp=4)[:-1], Re(r"\[tessera\] Tessera heap: .*"),
                T + "starting 2 VMs", T + "all VMs are off: powering off"],
        streams={
            tv + "alpha: ": [
                tv + "alpha: CPU 1, RAM 0x60000000-0x63ffffff at host 0x60000000 (identity)",
                tv + "alpha: kernel at 0x60000000, DTB at 0x63e00000",
                *fault_lines("alpha", ALPHA_PROBES),
                tv + "alpha: powered off"],
            tv + "beta: ": [
                Re(r"\[tessera\] vm beta: CPU 2, RAM 0x40000000-0x43ffffff at host 0x[0-9a-f]+"),
                tv + "beta: kernel at 0x40000000, DTB at 0x43e00000",
                *fault_lines("beta", BETA_PROBES),
                tv + "beta: powered off"],
            "[alpha] ": guest_lines("alpha", 0x60000000, 0x4000000, ALPHA_PROBES, ALPHA_READS),
            "[beta] ": guest_lines("beta", 0x40000000, 0x4000000, BETA_PROBES),
        })


BAD_CONFIGS = {
    "cpu": 'config: vm "alpha": cpus: CPU 7 does not exist (the host has 4)',
    "identity-over-tessera": Re(r'\[tessera\] error: config: vm "alpha": memory: '
                                r'0x40000000-0x43ffffff \(identity\) overlaps Tessera '
                                r'\(0x40200000-0x[0-9a-f]+\)'),
    "device": 'config: vm "alpha": devices: "/pl999@9999000" is not in the host device tree',
    "console-device": 'config: vm "alpha": devices: "/pl011@9000000" is the console UART, '
                      "Tessera's own while console = \"mux\"",
    "memory-typo": 'config: vm "alpha": memroy: unknown property (known: label cpus memory '
                   'kernel initrd bootargs devices shared-devices identity dtb)',
}


def bad_config_scenario(ctx, name, error):
    first = error if isinstance(error, Re) else T + "error: " + error
    return Scenario(f"config-bad-{name}", ctx.qemu(kernel=ctx.config_image(f"bad-{name}")),
                    timeout=30, expect=[T + "4 of 4 CPUs online at EL2", first,
                                        T + "boot stopped"],
                    forbid=["panic", "FAIL", "starting"])


def vgic_lines(gic):
    """tests/guests/vgic in a 2-vCPU VM owning SPI 34 (not 40 or 50)."""
    route = "IROUTER" if gic == 3 else "ITARGETSR"
    lines = [f"PASS gic: GICv{gic}",
             "PASS timer: virtual timer interrupt (PPI 27)",
             "PASS timer: 5 interrupts, none spurious or lost",
             "PASS sgi: self SGI 3 received",
             "PASS psci: AFFINITY_INFO 0x1 before CPU_ON: OFF",
             "PASS psci: CPU_ON 0x1",
             "PASS psci: cpu1 running",
             "PASS psci: AFFINITY_INFO 0x1: ON",
             "PASS psci: CPU_ON 0x1 again: ALREADY_ON",
             "PASS sgi: cpu0 -> cpu1 SGI 5",
             "PASS sgi: cpu1 -> cpu0 SGI 6",
             "PASS sgi: SGI 8 to all but self: cpu1 only",
             "PASS psci: CPU_ON 0x2: INVALID_PARAMETERS",
             "PASS psci: CPU_ON 0x100: INVALID_PARAMETERS",
             "PASS psci: AFFINITY_INFO 0x2: INVALID_PARAMETERS",
             "PASS psci: AFFINITY_INFO 0x100: INVALID_PARAMETERS",
             "PASS sgi: SGI 7 to cpus 2-3 delivered nowhere"]
    if gic == 3:
        lines.append("PASS sgi: SGI 7 to MPIDR 0x100-0x101 delivered nowhere")
    lines += [f"PASS gic: SPI 34 owned: {r} reads back"
              for r in ("ISENABLER", "ISPENDR", "IPRIORITYR", route)]
    for spi in (40, 50):
        lines += [f"PASS gic: SPI {spi} not owned: {r} reads 0"
                  for r in ("ISENABLER", "ISPENDR", "IPRIORITYR", route)]
    held = "group 1" if gic == 3 else "distributor"
    lines += [f"PASS gic: {held} disabled holds SGI 4; delivered once re-enabled",
              "PASS gic: pending while disabled, delivered on enable (SGI 2, PPI 27)",
              "PASS psci: cpu1 CPU_OFF: AFFINITY_INFO 0x1 OFF",
              "PASS psci: CPU_ON 0x1 after CPU_OFF: cpu1 running",
              "PASS sgi: cpu0 -> cpu1 SGI 5 after CPU_ON again"]
    lines.append(f"DONE {len(lines)} passed, 0 failed")
    return ["[vgic] " + l for l in lines]


def vgic_scenario(ctx, gic):
    return Scenario(f"vgic-guest-gicv{gic}", ctx.qemu(gic=gic, smp=4,
                                                      kernel=ctx.config_image("vgic")),
                    timeout=60,
                    expect=[T + "starting 1 VM", *vgic_lines(gic), T + "vm vgic: powered off",
                            T + "all VMs are off: powering off"])


CTRL_A3 = "\x01\x01\x01"


def linux_1vm_scenario(ctx, gic):
    """Debian's kernel with 2 vCPUs: timer and IPIs on both, then poweroff."""
    g = "[linux0] "
    return Scenario(
        f"linux-1vm-gicv{gic}", ctx.qemu(gic=gic, smp=2, mem="1G",
                                         kernel=ctx.config_image("linux-1vm")),
        timeout=300,
        expect=[T + "starting 1 VM", g + "tessera-guest: init reached",
                g + "tessera-guest: nproc=2",
                g + "tessera-guest: timer interrupts rising on 2/2 CPUs",
                g + "tessera-guest: IPIs rising on 2/2 CPUs",
                T + "vm linux0: powered off", T + "all VMs are off: powering off"],
        send=[(g + "guest# ", "tessera-irqcheck\r"), (g + "guest# ", "poweroff -f\r")])


def linux_2vm_scenario(ctx, gic):
    """Two Linux VMs: one reboots and comes back while the other keeps answering."""
    l0, l1 = "[linux0] ", "[linux1] "
    return Scenario(
        f"linux-2vm-reboot-gicv{gic}", ctx.qemu(gic=gic, smp=4, mem="2G",
                                                kernel=ctx.config_image("linux-2vm")),
        timeout=600,
        expect=[T + "starting 2 VMs", T + "vm linux1: reset", T + "vm linux1: powered off",
                T + "vm linux0: powered off", T + "all VMs are off: powering off"],
        streams={
            l0: [l0 + "tessera-guest: init reached", l0 + "tessera-guest: nproc=2",
                 l0 + "linux0-alive-42"],
            l1: [l1 + "tessera-guest: init reached", l1 + "tessera-guest: nproc=2",
                 l1 + "tessera-guest: init reached", l1 + "tessera-guest: nproc=2",
                 l1 + "linux1-back-42"],
        },
        send=[(AllOf(l0 + "guest# ", l1 + "guest# "), CTRL_A3),
              ("console: input goes to vm linux1", "reboot -f\r"),
              (T + "vm linux1: reset", CTRL_A3),
              ("console: input goes to vm linux0", "echo linux0-alive-$((6*7))\r"),
              (l1 + "guest# ", CTRL_A3),
              ("console: input goes to vm linux1", "echo linux1-back-$((6*7))\r"),
              (l1 + "linux1-back-42", "poweroff -f\r"),
              (T + "vm linux1: powered off", CTRL_A3),
              ("console: input goes to vm linux0", "poweroff -f\r")])


def demo_disk_args(ctx):
    """The disks `make run` gives the demo (boards/qemu-virt/board.mk), read-only:
    scenarios run in parallel, and QEMU locks a writable image to one user."""
    d = ctx.build / "qemu-virt" / "demo"
    return ["-drive", f"if=none,file={d}/linux0.img,format=raw,id=disk0,readonly=on",
            "-device", "virtio-blk-device,drive=disk0,bus=virtio-mmio-bus.0",
            "-drive", f"if=none,file={d}/linux1.img,format=raw,id=disk1,readonly=on",
            "-device", "virtio-blk-device,drive=disk1,bus=virtio-mmio-bus.8"]


def demo_scenario(ctx, gic):
    """The make-run demo: own disks, foreign MMIO aborts, focus, a crash contained."""
    l0, l1, tv = "[linux0] ", "[linux1] ", T + "vm "
    return Scenario(
        f"demo-gicv{gic}",
        ctx.qemu(gic=gic, smp=4, mem="2G", kernel=ctx.demo_image, extra=demo_disk_args(ctx)),
        timeout=600,
        # A guest panics on purpose here; only Tessera's own must never appear.
        forbid=[T + "panic", "FAIL"],
        expect=[T + "starting 2 VMs",
                T + "console: input goes to vm linux0; Ctrl-A three times for the next",
                T + "vm linux1: reset", T + "vm linux1: powered off",
                T + "vm linux0: powered off", T + "all VMs are off: powering off"],
        streams={
            l0: [l0 + "tessera-guest: init reached",
                 l0 + "tessera-guest: disk vda: tessera demo disk of linux0",
                 l0 + "tessera-guest: nproc=2", l0 + "Bus error", l0 + "rc=135",
                 l0 + "linux0-alive-42"],
            l1: [l1 + "tessera-guest: init reached",
                 l1 + "tessera-guest: disk vda: tessera demo disk of linux1",
                 l1 + "tessera-guest: nproc=2",
                 Re(r"\[linux1\] \[ *[0-9.]+\] Kernel panic - not syncing: sysrq triggered crash"),
                 l1 + "tessera-guest: init reached",
                 l1 + "tessera-guest: disk vda: tessera demo disk of linux1",
                 l1 + "linux1-back-42"],
            tv + "linux0: ": [
                Re(r"\[tessera\] vm linux0: vcpu[01]: read at IPA 0xa001000 \(unmapped\), "
                   r"PC 0x[0-9a-f]+: external abort injected")],
        },
        send=[(AllOf(l0 + "guest# ", l1 + "guest# "), "devmem 0xa001000 32; echo rc=$?\r"),
              (l0 + "rc=135", CTRL_A3),
              ("console: input goes to vm linux1", "echo c > /proc/sysrq-trigger\r"),
              ("sysrq triggered crash", CTRL_A3),
              ("console: input goes to vm linux0", "echo linux0-alive-$((6*7))\r"),
              (T + "vm linux1: reset", ""),
              (l1 + "guest# ", CTRL_A3),
              ("console: input goes to vm linux1", "echo linux1-back-$((6*7))\r"),
              (l1 + "linux1-back-42", "poweroff -f\r"),
              (T + "vm linux1: powered off", CTRL_A3),
              ("console: input goes to vm linux0", "poweroff -f\r")])


def containment_scenario(ctx, gic):
    """A VM spinning with interrupts masked; its neighbour owns the UART and finishes."""
    probes = [0x48000000, 0xa000000]
    lines = [l.replace("[alpha] ", "") for l in guest_lines("alpha", 0x40000000, 0x4000000, probes)]
    return Scenario(
        f"containment-gicv{gic}", ctx.qemu(gic=gic, smp=4, kernel=ctx.config_image("containment")),
        timeout=60,
        exit_code=None,  # the hog never stops: QEMU is ended once alpha is done
        expect=[T + "starting 2 VMs", T + "console: the UART belongs to vm alpha", *lines,
                T + "vm alpha: powered off"],
        # hog's own UART prints nowhere: the physical one belongs to alpha.
        forbid=["panic", "FAIL", T + "all VMs are off", "[hog]"])


def vm_scenarios(ctx):
    return [isolation_scenario(ctx, 3), isolation_scenario(ctx, 2),
            *(bad_config_scenario(ctx, n, e) for n, e in BAD_CONFIGS.items()),
            vgic_scenario(ctx, 3), vgic_scenario(ctx, 2),
            linux_1vm_scenario(ctx, 3), linux_1vm_scenario(ctx, 2),
            containment_scenario(ctx, 3), containment_scenario(ctx, 2),
            linux_2vm_scenario(ctx, 3), demo_scenario(ctx, 3), demo_scenario(ctx, 2)]


def extra_scenarios(ctx):
    """Scenario files beside this one named scenarios_<topic>.py, each with a
    function scenarios(ctx): topics can grow without touching this file."""
    import importlib.util
    from pathlib import Path

    out = []
    for path in sorted(Path(__file__).parent.glob("scenarios_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        out += mod.scenarios(ctx)
    return out


def scenarios(ctx):
    return boot_scenarios(ctx) + error_scenarios(ctx) + vm_scenarios(ctx) + extra_scenarios(ctx)
