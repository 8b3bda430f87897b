#!/usr/bin/env python3
"""Tessera integration test harness: boot QEMU, watch the serial console.

A scenario boots one QEMU machine and checks its serial output:

  * ``expect``: lines that must appear, in this order. A line matches when,
    with trailing whitespace (including '\\r') and leading '\\r' stripped, it
    equals the string exactly, or, for ``Re(pattern)``, fully matches the
    regex. Other lines may appear in between.
  * ``forbid``: substrings (or ``Re`` searches) that must appear on no line;
    by default "panic" and "FAIL".
  * ``exit_code``: QEMU's expected exit status (0: the guest powered the
    machine off via PSCI SYSTEM_OFF). ``None`` means "don't wait for an
    exit": pass as soon as every expected line was seen, then kill QEMU.
  * ``send``: ``(trigger, data)`` actions, fired in order: once ``trigger``
    (a substring or ``Re``) shows up in the output after the previous action
    fired, ``data`` is typed into the serial input. Triggers match the raw
    stream, so prompts without a newline ("=> ") work.
  * ``prepare``: a callable with no arguments run just before QEMU starts.

Usage:
  python3 tests/integration/harness.py [--list] [-j N] [-k SUBSTR]
      [--scenarios tests/integration/scenarios.py]

The scenarios file defines ``scenarios(ctx)`` returning a list of Scenario
objects (or dicts with the same fields); ``ctx`` is a Context. Each
scenario's serial output is written to build/test-logs/<name>.log as it
arrives (tail -f works), and the QEMU command line, result and QEMU's stderr
to build/test-logs/<name>.info at the end.
"""

import argparse
import codecs
import importlib.util
import os
import re
import select
import shlex
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

REPO_ROOT = Path(__file__).resolve().parents[2]
QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
UBOOT_BIN = Path("/usr/lib/u-boot/qemu_arm64/u-boot.bin")
# U-Boot's own kernel_addr_r on qemu_arm64: 2 MiB aligned, above QEMU's DTB
# (0x40000000) and U-Boot's scriptaddr/pxefile_addr_r, far below where U-Boot
# relocates itself (top of RAM). Only 60 MiB are free if a ramdisk is loaded
# at U-Boot's ramdisk_addr_r (0x44000000).
UBOOT_LOAD_ADDR = 0x40400000
UBOOT_AUTOBOOT_PROMPT = "Hit any key to stop autoboot"
UBOOT_PROMPT = "=> "
DEFAULT_FORBID = ("panic", "FAIL")
TAIL_LINES = 40
# After a forbidden line, keep reading this long: a panic message is usually
# followed by the interesting part (registers, backtrace).
FORBID_GRACE_SECS = 2.0
# The serial console is a plain stdio chardev with mux=off, so no byte typed
# into it (not even Ctrl-A) is taken by QEMU's monitor: with the default
# "-serial mon:stdio" of -nographic, typing Ctrl-A x would quit QEMU with
# status 0. signal=off keeps a typed Ctrl-C from killing QEMU.
SERIAL_ARGS = ["-chardev", "stdio,id=ser0,signal=off,mux=off",
               "-serial", "chardev:ser0"]


class HarnessError(Exception):
    """A helper (QEMU DTB dump, fdtput, ...) failed."""


class Re:
    """An expected line, trigger or forbidden text given as a regex."""

    def __init__(self, pattern: str, flags: int = 0):
        self.regex = re.compile(pattern, flags)

    def __repr__(self):
        return f"Re({self.regex.pattern!r})"


class AllOf:
    """A send trigger that fires once every one of its texts has appeared
    anywhere in the output so far, in any order (e.g. the prompts of two VMs
    booting side by side)."""

    def __init__(self, *needles):
        self.needles = needles

    def __repr__(self):
        return f"AllOf{self.needles!r}"


Pattern = Union[str, Re]
Payload = Union[str, bytes]


@dataclass
class Scenario:
    name: str
    argv: List[str]
    timeout: float = 60
    expect: List[Pattern] = field(default_factory=list)
    forbid: List[Pattern] = field(default_factory=lambda: list(DEFAULT_FORBID))
    exit_code: Optional[int] = 0
    send: List[Tuple[Pattern, Payload]] = field(default_factory=list)
    prepare: Optional[Callable[[], None]] = None
    # Per-prefix ordered expectations, for output that interleaves: lines
    # starting with a key ("[alpha] ") are matched, in order, against that
    # key's list only. Each stream is ordered; streams are not ordered
    # relative to each other or to `expect`.
    streams: Dict[str, List[Pattern]] = field(default_factory=dict)


@dataclass
class Result:
    name: str
    ok: bool
    secs: float
    reason: str = ""
    tail: List[str] = field(default_factory=list)
    log: Optional[Path] = None


# --- matching ---------------------------------------------------------------

def clean_line(line: str) -> str:
    """Normalise one serial line: drop the CR of CRLF (or of LFCR) endings."""
    return line.rstrip().lstrip("\r")


def line_matches(expected: Pattern, line: str) -> bool:
    if isinstance(expected, Re):
        return expected.regex.fullmatch(line) is not None
    return line == expected


def line_contains(needle: Pattern, line: str) -> bool:
    if isinstance(needle, Re):
        return needle.regex.search(line) is not None
    return needle in line


def _visible(line: str) -> str:
    """Show control characters (U-Boot's countdown backspaces, ...) as ^X
    so a printed tail cannot garble the terminal or CI log."""
    return _CONTROL.sub(lambda m: "^" + chr(ord(m.group()) ^ 0x40), line)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def find_in(needle: Pattern, text: str, start: int) -> int:
    """Index just past the first occurrence of needle in text[start:], or -1.
    AllOf: every text anywhere in text; the end of the last one to appear."""
    if isinstance(needle, AllOf):
        ends = [find_in(n, text, 0) for n in needle.needles]
        return -1 if min(ends) < 0 else max(max(ends), start)
    if isinstance(needle, Re):
        m = needle.regex.search(text, start)
        return m.end() if m else -1
    i = text.find(needle, start)
    return i + len(needle) if i >= 0 else -1


class SerialMonitor:
    """Checks a scenario's serial stream; knows nothing about processes.

    feed() takes output as it arrives and returns the bytes to type in reply.
    """

    def __init__(self, sc: Scenario):
        self.sc = sc
        self.text = ""              # everything decoded so far
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._partial = ""          # current unterminated line
        self._send_pos = 0          # where the next trigger search starts
        self.next_expect = 0        # index into sc.expect
        self.next_send = 0          # index into sc.send
        self.next_stream = {k: 0 for k in sc.streams}
        self.forbidden: Optional[str] = None

    @property
    def all_seen(self) -> bool:
        return self.next_expect >= len(self.sc.expect) and all(
            self.next_stream[k] >= len(v) for k, v in self.sc.streams.items())

    def feed(self, data: bytes) -> List[bytes]:
        chunk = self._decoder.decode(data)
        self.text += chunk
        *lines, self._partial = (self._partial + chunk).split("\n")
        for line in lines:
            self._check_line(clean_line(line))
        return self._fire_sends()

    def finish(self):
        """End of output: an unterminated last line still counts."""
        self.text += self._decoder.decode(b"", final=True)
        if self._partial.strip():
            self._check_line(clean_line(self._partial))
        self._partial = ""

    def _check_line(self, line: str):
        if self.forbidden is None:
            for bad in self.sc.forbid:
                if line_contains(bad, line):
                    self.forbidden = line
                    break
        if self.next_expect < len(self.sc.expect) and \
                line_matches(self.sc.expect[self.next_expect], line):
            self.next_expect += 1
        for prefix, want in self.sc.streams.items():
            i = self.next_stream[prefix]
            if line.startswith(prefix) and i < len(want) and line_matches(want[i], line):
                self.next_stream[prefix] = i + 1

    def _fire_sends(self) -> List[bytes]:
        out = []
        while self.next_send < len(self.sc.send):
            trigger, payload = self.sc.send[self.next_send]
            end = find_in(trigger, self.text, self._send_pos)
            if end < 0:
                # Rescan only a trigger's length of old text next time, so a
                # long log costs linear time (regexes always rescan).
                if isinstance(trigger, str):
                    self._send_pos = max(self._send_pos, len(self.text) - len(trigger))
                break
            self._send_pos = end
            self.next_send += 1
            out.append(payload.encode() if isinstance(payload, str) else payload)
        return out

    def tail(self, n: int = TAIL_LINES) -> List[str]:
        lines = [_visible(clean_line(l)) for l in self.text.split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        return lines[-n:]

    def missing(self) -> str:
        i = self.next_expect
        if i < len(self.sc.expect):
            return f"expected line #{i + 1} not seen: {self.sc.expect[i]!r}"
        for prefix, want in self.sc.streams.items():
            j = self.next_stream[prefix]
            if j < len(want):
                return f"expected {prefix!r} line #{j + 1} not seen: {want[j]!r}"
        return "all expected lines seen"

    def pending_send(self) -> str:
        if self.next_send >= len(self.sc.send):
            return ""
        return f"; send #{self.next_send + 1} still waits for {self.sc.send[self.next_send][0]!r}"


# --- running QEMU -----------------------------------------------------------

_live = set()                # QEMU processes to kill if the harness is stopped
_live_lock = threading.Lock()
_stopping = False            # set once the harness is interrupted: start no QEMU


def kill_all_live():
    global _stopping
    with _live_lock:
        _stopping = True
        for proc in list(_live):
            if proc.poll() is None:
                proc.kill()


def _start_qemu(argv: List[str]) -> Optional[subprocess.Popen]:
    """Popen QEMU and register it, or None if the harness is stopping."""
    with _live_lock:         # so kill_all_live() cannot miss a new process
        if _stopping:
            return None
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _live.add(proc)
        return proc


def _type(proc: subprocess.Popen, data: bytes):
    try:
        proc.stdin.write(data)
        proc.stdin.flush()
    except (BrokenPipeError, OSError):
        pass                 # QEMU is gone; its exit is reported elsewhere


def _pump(sc: Scenario, proc: subprocess.Popen, mon: SerialMonitor, log, start: float):
    """Read QEMU's output into mon and log (a binary file) until QEMU exits
    or there is no point waiting.

    Returns (stderr bytes, why it stopped: "eof", "timeout", "forbidden" or
    "done", the last meaning all expected lines seen and no exit awaited).
    """
    stderr = bytearray()
    deadline = start + sc.timeout
    open_fds = {proc.stdout.fileno(), proc.stderr.fileno()}
    while open_fds:
        now = time.monotonic()
        if now >= deadline:
            return bytes(stderr), "timeout" if mon.forbidden is None else "forbidden"
        ready, _, _ = select.select(list(open_fds), [], [], min(deadline - now, 0.5))
        for fd in ready:
            data = os.read(fd, 65536)
            if not data:
                open_fds.discard(fd)
            elif fd == proc.stdout.fileno():
                log.write(data)
                log.flush()
                for reply in mon.feed(data):
                    _type(proc, reply)
            else:
                stderr += data
        if mon.forbidden is not None:
            deadline = min(deadline, time.monotonic() + FORBID_GRACE_SECS)
        elif sc.exit_code is None and mon.all_seen:
            return bytes(stderr), "done"
    return bytes(stderr), "eof"


def _reap(proc: subprocess.Popen, stop: str) -> Optional[int]:
    """QEMU's exit status, or None if we had to kill it."""
    if stop == "eof":        # output closed: QEMU is exiting by itself
        try:
            return proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
    proc.kill()
    proc.wait()
    return None


def _verdict(sc: Scenario, mon: SerialMonitor, rc: Optional[int], stop: str) -> str:
    """Why the scenario failed, or "" if it passed. First cause wins."""
    if mon.forbidden is not None:
        return f"forbidden output: {mon.forbidden!r}"
    if stop == "timeout":
        what = mon.missing() if not mon.all_seen else f"QEMU did not exit (expected code {sc.exit_code})"
        return f"timeout after {sc.timeout:g}s; {what}{mon.pending_send()}"
    if not mon.all_seen:
        return f"QEMU exited (code {rc}); {mon.missing()}{mon.pending_send()}"
    if sc.exit_code is not None and rc != sc.exit_code:
        return f"QEMU exit code {rc}, expected {sc.exit_code}"
    return ""


def _write_info(sc: Scenario, log_dir: Path, stderr: bytes, rc: Optional[int], reason: str):
    info = [f"argv: {shlex.join(sc.argv)}",
            f"exit code: {'killed' if rc is None else rc}",
            f"result: {'FAIL: ' + reason if reason else 'PASS'}",
            "qemu stderr:", stderr.decode(errors="replace")]
    (log_dir / f"{sc.name}.info").write_text("\n".join(info) + "\n")


def run_scenario(sc: Scenario, log_dir: Path) -> Result:
    t0 = time.monotonic()
    mon = SerialMonitor(sc)

    def result(reason: str, tail=(), log=None) -> Result:
        return Result(sc.name, not reason, time.monotonic() - t0, reason, list(tail), log)

    if sc.prepare is not None:
        try:
            sc.prepare()
        except Exception as e:  # any failure of user code fails just this scenario
            return result(f"prepare failed: {type(e).__name__}: {e}")
    try:
        proc = _start_qemu(sc.argv)
    except OSError as e:
        return result(f"cannot start {sc.argv[0]}: {e}")
    if proc is None:
        return result("interrupted")
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{sc.name}.log"
    try:
        with open(log, "wb") as log_file:
            # The timeout counts from QEMU's start, not from prepare's.
            stderr, stop = _pump(sc, proc, mon, log_file, time.monotonic())
        rc = _reap(proc, stop)
    finally:
        if proc.poll() is None:  # an exception (e.g. Ctrl-C) got us here
            proc.kill()
            proc.wait()
        with _live_lock:
            _live.discard(proc)
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            try:
                pipe.close()
            except BrokenPipeError:
                pass         # unread typed bytes; QEMU is gone anyway
    mon.finish()
    reason = _verdict(sc, mon, rc, stop)
    if reason and stderr.strip():
        reason += f" [qemu stderr: {stderr.decode(errors='replace').strip().splitlines()[-1]}]"
    _write_info(sc, log_dir, stderr, rc, reason)
    return result(reason, mon.tail() if reason else (), log)


# --- context and helpers for scenario files ---------------------------------

_IMAGE = object()            # "use ctx.image" default for Context.qemu(kernel=)


@dataclass
class Context:
    root: Path
    build: Path
    image: Path          # Tessera with no VMs configured
    log_dir: Path
    uboot: Path = UBOOT_BIN

    @property
    def demo_image(self) -> Path:
        """Tessera built with the default CONFIG (boards/qemu-virt/demo.dts)."""
        return self.build / "qemu-virt" / "tessera.bin"

    def config_image(self, name: str) -> Path:
        """Tessera bundled with tests/integration/configs/<name>.dts."""
        return self.build / "qemu-virt" / "configs" / name / "tessera.bin"

    def qemu(self, *, gic: int = 3, smp: int = 4, mem: str = "2G", cpu: str = "max",
             machine: Sequence[str] = (), extra: Sequence[str] = (),
             kernel=_IMAGE) -> List[str]:
        """Standard argv. machine: extra -M properties ("its=off");
        kernel: image for -kernel (default: tessera), None for no -kernel."""
        m = ",".join(["virt", "virtualization=on", f"gic-version={gic}", *machine])
        argv = [QEMU, "-M", m, "-cpu", cpu, "-smp", str(smp), "-m", mem,
                "-display", "none", "-monitor", "none",
                # No default NIC: it needs efi-virtio.rom (ipxe-qemu), which a
                # --no-install-recommends QEMU lacks, and no test needs it.
                "-nic", "none", *SERIAL_ARGS, *extra]
        if kernel is _IMAGE:
            kernel = self.image
        if kernel is not None:
            argv += ["-kernel", str(kernel)]
        return argv

    def uboot_qemu(self, image=_IMAGE, *, addr: int = UBOOT_LOAD_ADDR, **kw) -> List[str]:
        """argv that boots U-Boot at EL2 with image preloaded in RAM at addr.
        Pair with uboot_booti() for the send actions."""
        if image is _IMAGE:
            image = self.image
        extra = ["-bios", str(self.uboot),
                 "-device", f"loader,file={image},addr={addr:#x},force-raw=on",
                 *kw.pop("extra", ())]
        return self.qemu(kernel=None, extra=extra, **kw)


def uboot_booti(addr: int = UBOOT_LOAD_ADDR, fdt: str = "${fdtcontroladdr}",
                commands: Sequence[str] = ()) -> List[Tuple[Pattern, Payload]]:
    """send actions: stop U-Boot's autoboot, run commands, then booti the
    image at addr with no initrd and U-Boot's (QEMU-provided) DTB."""
    actions: List[Tuple[Pattern, Payload]] = [(UBOOT_AUTOBOOT_PROMPT, "\r")]
    for cmd in [*commands, f"booti {addr:#x} - {fdt}"]:
        actions.append((UBOOT_PROMPT, cmd + "\r"))
    return actions


def _run_tool(argv: Sequence[str]) -> str:
    p = subprocess.run([str(a) for a in argv], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise HarnessError(f"{shlex.join(map(str, argv))} failed ({p.returncode}): "
                           f"{p.stderr.strip()}")
    return p.stdout


def dump_dtb(argv: Sequence[str], out_path) -> Path:
    """Have QEMU write the DTB it would give the machine in argv, then exit.

    dumpdtb is a -machine property, so it is appended to the -M value.
    """
    argv = [str(a) for a in argv]
    idx = [i for i, a in enumerate(argv[:-1]) if a in ("-M", "-machine", "--machine")]
    if not idx:
        raise HarnessError("dump_dtb: argv has no -M option")
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    argv[idx[-1] + 1] += f",dumpdtb={out_path}"
    _run_tool(argv)
    if not out_path.is_file():
        raise HarnessError(f"dump_dtb: QEMU wrote no {out_path}")
    return out_path


def _fdt_type(values) -> str:
    if all(isinstance(v, int) for v in values):
        return "u"
    if all(isinstance(v, str) for v in values):
        return "s"
    raise HarnessError(f"fdtput: mixed value types {values!r}; pass type=")


def fdtput(dtb, node: str, prop: str, *values, type: Optional[str] = None):
    """Set node's prop (fdtput -t TYPE). ints default to u32 cells ("u"),
    strs to a string (list); give type= (e.g. "x", "hx") otherwise. A 64-bit
    value is two u32 cells, high first. Missing parent nodes are created."""
    t = type or _fdt_type(values)
    _run_tool(["fdtput", "-p", "-t", t, dtb, node, prop, *map(str, values)])


def fdtget(dtb, node: str, prop: str, type: Optional[str] = None) -> str:
    """Read a property as fdtget prints it (whitespace-stripped)."""
    return _run_tool(["fdtget", *(["-t", type] if type else []), dtb, node, prop]).strip()


def fdt_create_node(dtb, node: str):
    _run_tool(["fdtput", "-p", "-c", dtb, node])


def fdt_delete_prop(dtb, node: str, prop: str):
    _run_tool(["fdtput", "-d", dtb, node, prop])


def fdt_delete_node(dtb, node: str):
    _run_tool(["fdtput", "-r", dtb, node])


# --- CLI --------------------------------------------------------------------

_NAME_OK = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")


def load_scenarios(path: Path, ctx: Context) -> List[Scenario]:
    spec = importlib.util.spec_from_file_location(f"scenarios_{path.stem}", path)
    if spec is None or not path.is_file():
        raise HarnessError(f"cannot load scenarios file {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out, seen = [], set()
    for sc in module.scenarios(ctx):
        if isinstance(sc, dict):
            try:
                sc = Scenario(**sc)
            except TypeError as e:
                raise HarnessError(f"scenario {sc.get('name')!r}: {e}") from None
        if not _NAME_OK.fullmatch(sc.name):
            raise HarnessError(f"bad scenario name {sc.name!r} (it names a log file)")
        if sc.name in seen:
            raise HarnessError(f"duplicate scenario name {sc.name!r}")
        seen.add(sc.name)
        out.append(sc)
    return out


def print_result(r: Result):
    if r.ok:
        print(f"PASS {r.name} ({r.secs:.1f}s)", flush=True)
        return
    lines = [f"FAIL {r.name}: {r.reason}"]
    if r.tail:
        lines.append(f"    --- last {len(r.tail)} lines of {r.log} ---")
        lines += [f"    | {l}" for l in r.tail]
    print("\n".join(lines), flush=True)


def run_all(scs: List[Scenario], log_dir: Path, jobs: int) -> List[Result]:
    results = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(run_scenario, sc, log_dir) for sc in scs]
        try:
            for fut in as_completed(futures):
                r = fut.result()
                print_result(r)
                results.append(r)
        except BaseException:
            # Ctrl-C or SIGTERM: the pool's exit waits for its threads, and
            # they only return once their QEMU is dead.
            kill_all_live()
            pool.shutdown(cancel_futures=True)
            raise
    return results


def make_context(build: Path) -> Context:
    return Context(root=REPO_ROOT, build=build,
                   image=build / "qemu-virt" / "bare" / "tessera.bin",
                   log_dir=build / "test-logs")


def _on_sigterm(signum, frame):
    sys.exit(128 + signum)   # unwinds through run_all, which kills QEMU


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenarios", type=Path,
                    default=REPO_ROOT / "tests" / "integration" / "scenarios.py")
    ap.add_argument("--list", action="store_true", help="list scenario names and exit")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="parallel QEMUs (default 2)")
    ap.add_argument("-k", dest="select", action="append", default=[],
                    help="run only scenarios whose name contains this (repeatable)")
    ap.add_argument("--build-dir", type=Path, default=REPO_ROOT / "build")
    args = ap.parse_args(argv)

    ctx = make_context(args.build_dir.resolve())
    try:
        scs = load_scenarios(args.scenarios, ctx)
    except HarnessError as e:
        print(f"harness: {e}", file=sys.stderr)
        return 2
    if args.select:
        scs = [sc for sc in scs if any(k in sc.name for k in args.select)]
    if args.list:
        for sc in scs:
            print(sc.name)
        return 0
    if not scs:
        print("harness: no scenarios selected", file=sys.stderr)

    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        results = run_all(scs, ctx.log_dir, args.jobs)
    except KeyboardInterrupt:
        print("harness: interrupted", file=sys.stderr)
        return 130
    failed = sum(not r.ok for r in results)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed or not scs else 0


if __name__ == "__main__":
    # Scenario files do "from harness import ...": make that the module that
    # is running, not a second copy whose Re/Scenario classes would differ.
    sys.modules.setdefault("harness", sys.modules[__name__])
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
