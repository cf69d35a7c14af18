"""benchmarks/run_all.py (`make bench`): every benchmark has a quick mode, found by the
convention in benchmarks/README.md; the summary repeats the ratio lines and counts failures.
(No benchmark is timed here: the fake benchmarks below only print.)"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("run_all", ROOT / "benchmarks" / "run_all.py")
run_all = sys.modules.setdefault("run_all", importlib.util.module_from_spec(spec))
spec.loader.exec_module(run_all)


def test_every_benchmark_has_a_quick_mode():
    benches = run_all.discover()
    assert {"annotate", "merge", "summary_plan", "validate"} <= {b.name for b in benches}
    for bench in benches:
        assert bench.quick is not None, f"{bench.path.name}: add QUICK = [...] (see benchmarks/README.md)"
    validate = next(b for b in benches if b.name == "validate")
    assert validate.quick == ["--rows", "5000", "--repeat", "1"]


def test_quick_arguments_by_convention(tmp_path):
    listed = tmp_path / "bench_listed.py"
    listed.write_text('"""x"""\nimport sys\nQUICK = ["--rows", "10"]\n', encoding="utf-8")
    flag = tmp_path / "bench_flag.py"
    flag.write_text('import argparse\np = argparse.ArgumentParser()\np.add_argument("--quick")\n', encoding="utf-8")
    none = tmp_path / "bench_none.py"
    none.write_text("print(1)\n", encoding="utf-8")
    assert [(b.name, b.quick) for b in run_all.discover(tmp_path)] == [
        ("flag", ["--quick"]), ("listed", ["--rows", "10"]), ("none", None)]


def test_summary_repeats_ratio_lines_and_counts_failures(tmp_path, capsys):
    good = tmp_path / "bench_good.py"
    good.write_text("import sys\nprint('file: x.xlsx, 3 × 2 files in /tmp')\nprint('read 1.0 s')\n"
                    "print('ratio merge / read: 1.25× (target ≤ 1.5×)', sys.argv[1:])\n", encoding="utf-8")
    bad = tmp_path / "bench_bad.py"
    bad.write_text("raise SystemExit(3)\n", encoding="utf-8")
    (tmp_path / "bench_none.py").write_text("print('never run')\n", encoding="utf-8")
    benches = run_all.discover(tmp_path)
    for bench in benches:
        bench.quick = None if bench.name == "none" else ["--small"]
        if bench.quick:
            run_all.run(bench, bench.quick)
            assert bench.seconds >= 0
            bench.seconds = 0.0   # the elapsed time depends on the machine's load: fix it for the text
    assert run_all.summary(benches, full=False) == 1
    out = capsys.readouterr().out
    assert "=== good: python benchmarks/bench_good.py --small" in out
    summary = out.split("=== summary (quick sizes)\n")[1].splitlines()
    assert summary[2:] == [
        "bad: FAILED (exit 3), 0 s",
        "good: ok, 0 s",
        "    ratio merge / read: 1.25× (target ≤ 1.5×) ['--small']",
        "none: not run (no QUICK list and no --quick option; see benchmarks/README.md)",
    ]
