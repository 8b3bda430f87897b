"""Tests of the harness itself, above all that it can fail.

  python3 tests/integration/test_harness.py        (or: python3 -m unittest
  discover -s tests/integration -p 'test_*.py')

The matching logic is tested on canned output; the rest boots the hello_el2
fixture in QEMU (about a second per test, the timeout test a few).
"""

import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
from harness import Re, Scenario, SerialMonitor, run_scenario, uboot_booti  # noqa: E402
import selftest_scenarios as selftest  # noqa: E402


def monitor(**kw) -> SerialMonitor:
    return SerialMonitor(Scenario(name="t", argv=[], **kw))


class MatchingTest(unittest.TestCase):
    def test_lines_split_across_chunks_and_crlf(self):
        m = monitor(expect=["hello world", "second"])
        for chunk in (b"\r\nhel", b"lo wor", b"ld\r\n\rsec", b"ond  \r\n"):
            m.feed(chunk)
        self.assertTrue(m.all_seen)

    def test_exact_match_is_whole_line(self):
        m = monitor(expect=["hello"])
        m.feed(b"hello world\n  hello\n")
        self.assertFalse(m.all_seen)
        self.assertIn("#1", m.missing())

    def test_order_matters(self):
        m = monitor(expect=["b", "a"])
        m.feed(b"a\nb\n")
        self.assertEqual(m.next_expect, 1)

    def test_regex_is_full_match(self):
        m = monitor(expect=[Re(r"cpu \d+ up")])
        m.feed(b"cpu 3 up now\n")
        self.assertFalse(m.all_seen)
        m.feed(b"cpu 12 up\n")
        self.assertTrue(m.all_seen)

    def test_unterminated_last_line_counts_at_finish(self):
        m = monitor(expect=["bye"])
        m.feed(b"bye")
        self.assertFalse(m.all_seen)
        m.finish()
        self.assertTrue(m.all_seen)

    def test_forbid_defaults_and_utf8_split(self):
        m = monitor()
        m.feed("caf\u00e9 ok\n".encode()[:4])
        m.feed("caf\u00e9 ok\n".encode()[4:] + b"Kernel pa")
        self.assertIsNone(m.forbidden)
        m.feed(b"nic - not syncing\n")
        self.assertEqual(m.forbidden, "Kernel panic - not syncing")

    def test_sends_fire_in_order_on_partial_lines(self):
        m = monitor(send=[("=> ", "one\r"), ("=> ", b"two\r"), (Re(r"ok \d"), "3")])
        self.assertEqual(m.feed(b"Hit any key: 2 "), [])
        self.assertEqual(m.feed(b"\r\n="), [])
        self.assertEqual(m.feed(b"> "), [b"one\r"])      # trigger split over chunks
        self.assertEqual(m.feed(b"one\r\n=> "), [b"two\r"])  # a new prompt, not the old one
        self.assertEqual(m.feed(b"ok 7"), [b"3"])
        self.assertEqual(m.feed(b"=> "), [])              # all actions used


class QemuTest(unittest.TestCase):
    """Scenarios run for real; each must fail for the stated reason."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        build = Path(cls.tmp.name)
        cls.ctx = harness.make_context(build)
        cls.hello = selftest.build_hello(cls.ctx)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_sc(self, **kw):
        kw.setdefault("argv", self.ctx.qemu(kernel=self.hello, smp=1, mem="512M"))
        kw.setdefault("timeout", 20)
        return run_scenario(Scenario(name=self.id().split(".")[-1], **kw), self.ctx.log_dir)

    def test_pass_and_logs(self):
        r = self.run_sc(expect=selftest.HELLO_LINES)
        self.assertTrue(r.ok, r.reason)
        self.assertIn(b"hello from EL2", r.log.read_bytes())
        self.assertIn("result: PASS", r.log.with_suffix(".info").read_text())

    def test_wrong_expected_line_fails(self):
        r = self.run_sc(expect=["hello from EL2", "hello from EL1"])
        self.assertFalse(r.ok)
        self.assertIn("expected line #2 not seen: 'hello from EL1'", r.reason)
        self.assertIn("bye", r.tail)

    def test_out_of_order_fails(self):
        r = self.run_sc(expect=["bye", "hello from EL2"])
        self.assertFalse(r.ok)
        self.assertIn("#2", r.reason)

    def test_forbidden_line_fails(self):
        r = self.run_sc(expect=["bye"], forbid=[Re(r"EL\d$")])
        self.assertFalse(r.ok)
        self.assertIn("forbidden output: 'hello from EL2'", r.reason)

    def test_exit_code_checked(self):
        r = self.run_sc(expect=["bye"], exit_code=3)
        self.assertFalse(r.ok)
        self.assertIn("QEMU exit code 0, expected 3", r.reason)

    def test_prepare_failure_fails(self):
        def boom():
            raise RuntimeError("no dtb")
        r = self.run_sc(prepare=boom)
        self.assertFalse(r.ok)
        self.assertIn("prepare failed: RuntimeError: no dtb", r.reason)

    def test_missing_qemu_fails(self):
        r = self.run_sc(argv=["/nonexistent/qemu"])
        self.assertFalse(r.ok)
        self.assertIn("cannot start", r.reason)

    def test_timeout_kills_qemu(self):
        # U-Boot stopped at its prompt waits forever.
        t0 = time.monotonic()
        r = self.run_sc(argv=self.ctx.uboot_qemu(self.hello, smp=1, mem="512M"),
                        send=uboot_booti()[:1], expect=["never printed"], timeout=3)
        self.assertFalse(r.ok)
        self.assertLess(time.monotonic() - t0, 10)
        self.assertIn("timeout after 3s; expected line #1 not seen: 'never printed'", r.reason)
        self.assertEqual(r.tail[-1], "=>")

    def test_no_exit_awaited(self):
        # exit_code=None: pass once the lines are seen, then kill the machine.
        r = self.run_sc(argv=self.ctx.uboot_qemu(self.hello, smp=1, mem="512M"),
                        send=uboot_booti()[:1] + [("=> ", "version\r")],
                        expect=["=> version", Re(r"U-Boot \d{4}\.\d\d.*")], exit_code=None)
        self.assertTrue(r.ok, r.reason)

    def test_dump_dtb_needs_machine_option(self):
        with self.assertRaises(harness.HarnessError):
            harness.dump_dtb(["qemu-system-aarch64", "-m", "1G"], Path(self.tmp.name) / "x.dtb")


class CliTest(unittest.TestCase):
    def test_summary_and_exit_status(self):
        with tempfile.TemporaryDirectory() as tmp:
            sc_file = Path(tmp) / "sc.py"
            sc_file.write_text(
                "from harness import Scenario\n"
                "from selftest_scenarios import build_hello, hello_image, HELLO_LINES\n"
                "def scenarios(ctx):\n"
                "    argv = ctx.qemu(kernel=hello_image(ctx), smp=1, mem='512M')\n"
                "    prep = lambda: build_hello(ctx)\n"
                "    return [Scenario(name='good', argv=argv, expect=HELLO_LINES, prepare=prep),\n"
                "            dict(name='bad', argv=argv, expect=['nope'], prepare=prep)]\n")
            p = subprocess.run(
                [sys.executable, str(HERE / "harness.py"), "--scenarios", str(sc_file),
                 "--build-dir", tmp, "-j", "2"],
                capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
            out = p.stdout.splitlines()
            self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
            self.assertEqual(out[-1], "1 passed, 1 failed")
            self.assertTrue(any(l.startswith("PASS good (") for l in out))
            self.assertIn("FAIL bad: QEMU exited (code 0); expected line #1 not seen: 'nope'", out)
            self.assertTrue((Path(tmp) / "test-logs" / "bad.log").is_file())


if __name__ == "__main__":
    unittest.main()
