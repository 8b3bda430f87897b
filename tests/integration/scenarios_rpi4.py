"""Raspberry Pi 4 scenarios: Tessera on QEMU 10's -M raspi4b.

The machine has a BCM2711 with a GIC-400, four Cortex-A72 that QEMU starts
at EL2 (the secondaries in a spin-table stub at 0), 2 GiB of RAM of which
its DTB fix-up describes 960 MiB, and no PSCI: Tessera powers off through
the BCM2835 power manager's watchdog. The DTB is Debian's
bcm2711-rpi-4-b.dtb (.cache/guest, from scripts/guest-assets.sh): as
shipped, its stdout-path names the mini-UART, QEMU's second serial port;
rewritten to serial0, it names the PL011, the first. See
docs/raspberry-pi-4.md.
"""

import shutil

from harness import QEMU, Re, Scenario, fdtput

T = "[tessera] "
CTRL_A3 = "\x01\x01\x01"
SERIAL = ["-chardev", "stdio,id=ser0,signal=off,mux=off"]
# raspi4b: serial_hd(0) is the PL011 (UART0), serial_hd(1) the mini-UART.
PORTS = {"mini": ["-serial", "null", "-serial", "chardev:ser0"],
         "pl011": ["-serial", "chardev:ser0", "-serial", "null"]}


def source_dtb(ctx):
    return ctx.root / ".cache" / "guest" / "bcm2711-rpi-4-b.dtb"


def edited_dtb(ctx, name, edit):
    """The scenario's own copy of the Debian DTB, edited by prepare()."""
    dtb = ctx.build / "test-dtbs" / f"{name}.dtb"

    def prepare():
        dtb.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_dtb(ctx), dtb)
        edit(dtb)

    return dtb, prepare


def pi_dtb(ctx, name, console):
    """The Debian DTB as shipped (mini), or with stdout-path = serial0."""
    if console == "mini":
        return source_dtb(ctx), None
    return edited_dtb(ctx, name, lambda dtb: fdtput(dtb, "/chosen", "stdout-path",
                                                     "serial0:115200n8"))


def raspi4b(ctx, name, image, console="mini", dtb=None):
    """argv for scenario name; dtb: (path, prepare) instead of the console's."""
    dtb, prepare = dtb or pi_dtb(ctx, name, console)
    argv = [QEMU, "-M", "raspi4b", "-dtb", str(dtb), "-display", "none", "-monitor", "none",
            *SERIAL, *PORTS[console], "-kernel", str(image)]
    return argv, prepare


def banner(console="mini", load=0x200000):
    """Tessera's boot log on raspi4b, from the version line to the CPUs."""
    if console == "mini":
        uart = [T + "console: mini-UART /soc/serial@7e215040 at 0xfe215040, 115200 baud "
                    "from a 500 MHz clock",
                T + "console: VMs get a PL011 at 0xfe201000 (/soc/serial@7e201000)"]
    else:
        uart = [T + "console: PL011 /soc/serial@7e201000 at 0xfe201000"]
    return [
        T + "Tessera 0.1.0 (rpi4) at EL2",
        Re(rf"\[tessera\] loaded at {load:#x} \(\d+ KiB\), host DTB at 0x8000000"),
        *uart,
        T + "memory: 0x0-0x3bffffff (960 MiB)",
        T + "GICv2 /soc/interrupt-controller@40041000: GICD 0xff841000, GICC 0xff842000, "
            "GICH 0xff844000, GICV 0xff846000, maintenance INTID 25",
        T + "timer: INTIDs EL1 physical 30, virtual 27, EL2 physical 26",
        T + "PSCI: none (spin-table CPUs only); power-off through /soc/watchdog@7e100000",
        T + "cpu0: MPIDR 0x0 online (boot CPU)",
        T + "cpu1: MPIDR 0x1 online",
        T + "cpu2: MPIDR 0x2 online",
        T + "cpu3: MPIDR 0x3 online",
        T + "4 of 4 CPUs online at EL2",
    ]


def boot_scenario(ctx, console):
    name = f"rpi4-boot-{console}"
    argv, prepare = raspi4b(ctx, name, ctx.build / "rpi4" / "bare" / "tessera.bin", console)
    return Scenario(name, argv, timeout=30, prepare=prepare,
                    expect=[*banner(console), T + "no VMs configured: powering off"])


def no_pl011_scenario(ctx):
    """A mini-UART console, but no PL011 left for the VMs: a named error, and
    the watchdog still powers the machine off."""
    name = "rpi4-dtb-no-pl011"
    dtb = edited_dtb(ctx, name,
                     lambda dtb: fdtput(dtb, "/soc/serial@7e201000", "status", "disabled"))
    argv, prepare = raspi4b(ctx, name, ctx.build / "rpi4" / "bare" / "tessera.bin", dtb=dtb)
    return Scenario(name, argv, timeout=30, prepare=prepare,
                    expect=[T + "error: host DTB: /soc/serial@7e215040: compatible: a mini-UART "
                                "console needs an enabled PL011 for the VMs' UART; there is none",
                            T + "boot stopped"])


def demo_scenario(ctx, console):
    """boards/rpi4/demo.dts: Linux on CPUs 0-1 beside pitick on CPUs 2-3."""
    name = f"rpi4-demo-{console}"
    argv, prepare = raspi4b(ctx, name, ctx.build / "rpi4" / "tessera.bin", console)
    lx, bare = "[linux] ", "[bare] "
    return Scenario(
        name, argv, timeout=600, prepare=prepare,
        # pitick ticks forever: the harness ends QEMU once all was seen.
        exit_code=None,
        # The kernel command line says "panic=5": only a real one counts.
        forbid=[T + "panic", "Kernel panic", "FAIL"],
        expect=[*banner(console),
                Re(r"\[tessera\] Tessera heap: 0x[0-9a-f]+-0x[0-9a-f]+"),
                Re(r"\[tessera\] vm linux: CPU 0,1, RAM 0x0-0xfffffff at host 0x[0-9a-f]+"),
                T + "vm linux: kernel at 0x0, DTB at 0xfe00000",
                Re(r"\[tessera\] vm bare: CPU 2,3, RAM 0x0-0x3ffffff at host 0x[0-9a-f]+"),
                T + "vm bare: kernel at 0x0, DTB at 0x3e00000",
                T + "starting 2 VMs",
                T + "console: input goes to vm linux; Ctrl-A three times for the next",
                T + "console: input goes to vm bare",
                T + "console: input goes to vm linux",
                T + "vm linux: powered off",
                # The bare-metal guest outlives Linux.
                Re(r"\[bare\] tick \d+: cpu0 \d+, cpu1 \d+")],
        streams={
            lx: [Re(r"\[linux\] \[ *0\.0+\] Machine model: Raspberry Pi 4 Model B"),
                 Re(r"\[linux\] \[ *[0-9.]+\] fe201000\.serial: ttyAMA0 at MMIO 0xfe201000 "
                    r"\(irq = \d+, base_baud = \d+\) is a PL011 rev\d"),
                 lx + "tessera-guest: init reached",
                 lx + "tessera-guest: nproc=2",
                 lx + "tessera-guest: timer interrupts rising on 2/2 CPUs",
                 lx + "tessera-guest: IPIs rising on 2/2 CPUs"],
            bare: [bare + "pitick: GICv2 at 0xff841000, virtual timer PPI 27, 2 CPUs, "
                          "a tick every 5000 ms",
                   *(bare + f"tick {i}: cpu0 {i}, cpu1 {i}" for i in (1, 2, 3))],
        },
        send=[(lx + "guest# ", "tessera-irqcheck\r"),
              ("IPIs rising on", CTRL_A3),
              ("console: input goes to vm bare", CTRL_A3),
              ("console: input goes to vm linux", "poweroff -f\r")])


def scenarios(ctx):
    return [boot_scenario(ctx, "mini"), boot_scenario(ctx, "pl011"), no_pl011_scenario(ctx),
            demo_scenario(ctx, "mini"), demo_scenario(ctx, "pl011")]
