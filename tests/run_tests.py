#!/usr/bin/env python3
"""Run every Tessera test and print one closing line: "N passed, M failed".

1. Host unit tests: each build/unit/test_* cmocka binary (one count per test case).
2. The harness's own tests (tests/integration/test_harness.py): proof that the
   integration harness can fail.
3. Integration scenarios (tests/integration/scenarios.py) booting Tessera in QEMU.

Exit status is 0 only if everything ran and passed.
"""

import re
import subprocess
import sys
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))

import harness  # noqa: E402

CMOCKA_PASSED = re.compile(r"^\[  PASSED  \] (\d+) test")
CMOCKA_FAILED = re.compile(r"^\[  FAILED  \] (\d+) test")


def run_unit():
    passed = failed = 0
    binaries = sorted(p for p in (ROOT / "build" / "unit").glob("test_*") if p.is_file())
    if not binaries:
        print("unit: no test binaries in build/unit (run 'make unit')")
        return 0, 1
    for binary in binaries:
        proc = subprocess.run([str(binary)], capture_output=True, text=True)
        out = proc.stdout + proc.stderr
        p = sum(int(m.group(1)) for m in map(CMOCKA_PASSED.match, out.splitlines()) if m)
        f = sum(int(m.group(1)) for m in map(CMOCKA_FAILED.match, out.splitlines()) if m)
        if proc.returncode != 0 and f == 0:
            f = 1  # crashed, or a sanitizer stopped it
        status = "PASS" if f == 0 else "FAIL"
        print(f"{status} unit/{binary.name}: {p} passed, {f} failed")
        if f:
            print(out)
        passed += p
        failed += f
    return passed, failed


def run_harness_selftest():
    suite = unittest.defaultTestLoader.discover(str(ROOT / "tests" / "integration"),
                                                pattern="test_harness.py")
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=0).run(suite)
    bad = len(result.failures) + len(result.errors)
    print(f"{'PASS' if not bad else 'FAIL'} harness self-test: "
          f"{result.testsRun - bad} passed, {bad} failed")
    return result.testsRun - bad, bad


def run_integration():
    ctx = harness.make_context(ROOT / "build")
    scs = harness.load_scenarios(ROOT / "tests" / "integration" / "scenarios.py", ctx)
    results = harness.run_all(scs, ctx.log_dir, jobs=2)
    failed = sum(not r.ok for r in results)
    return len(results) - failed, failed


def main():
    total_p = total_f = 0
    for stage in (run_unit, run_harness_selftest, run_integration):
        print(f"== {stage.__name__.replace('run_', '')}")
        p, f = stage()
        total_p += p
        total_f += f
    print(f"{total_p} passed, {total_f} failed")
    return 0 if total_f == 0 and total_p > 0 else 1


if __name__ == "__main__":
    sys.modules.setdefault("harness", harness)
    sys.exit(main())
