"""Run every benchmark in benchmarks/ (what `make bench` runs), then repeat their ratio lines.

    .venv/bin/python benchmarks/run_all.py                 # quick sizes: a few minutes on 2 cores
    .venv/bin/python benchmarks/run_all.py --full          # each script's own (full) sizes: hours
    .venv/bin/python benchmarks/run_all.py --only merge,validate
    .venv/bin/python benchmarks/run_all.py --list

Convention (see benchmarks/README.md), so that a new benchmark needs no change here:
every ``benchmarks/bench_*.py`` is a script; it declares the command-line arguments of its
quick run as a module-level literal ``QUICK = ["--rows", "5000", ...]`` (read with ``ast``, the
module is not imported), or, without QUICK, accepts ``--quick``. ``--full`` runs it with no
arguments. Each runs in its own process (output streamed); the summary at the end repeats
every line that states a ratio (a number followed by ``×``) or a target (the word ``target``).
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
RATIO = re.compile(r"\d×|\btarget\b", re.I)  # "1.39×", "(target ≤ 1.5×)"


@dataclass
class Bench:
    name: str            # "merge" for bench_merge.py
    path: Path
    quick: list[str] | None  # None: the script has no quick mode
    lines: list[str] = field(default_factory=list)
    code: int | None = None
    seconds: float = 0.0


def quick_args(path: Path) -> list[str] | None:
    """The QUICK literal of a benchmark script, ["--quick"] if it only mentions that flag, else None."""
    source = path.read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "QUICK" for t in node.targets):
            value = ast.literal_eval(node.value)
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise SystemExit(f"{path.name}: QUICK must be a list of strings")
            return list(value)
    return ["--quick"] if re.search(r"""["']--quick["']""", source) else None


def discover(folder: Path = HERE) -> list[Bench]:
    return [Bench(p.stem.removeprefix("bench_"), p, quick_args(p)) for p in sorted(folder.glob("bench_*.py"))]


def run(bench: Bench, args: list[str]) -> None:
    """Run one benchmark in its own process, streaming its output and keeping its lines."""
    command = [sys.executable, str(bench.path), *args]
    print(f"\n=== {bench.name}: {' '.join(['python', f'benchmarks/{bench.path.name}', *args])}", flush=True)
    start = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          encoding="utf-8", errors="replace", cwd=HERE.parent) as proc:
        for line in proc.stdout:
            print(line, end="", flush=True)
            bench.lines.append(line.rstrip("\n"))
    bench.code, bench.seconds = proc.returncode, time.perf_counter() - start


def summary(benches: list[Bench], full: bool) -> int:
    """Print each benchmark's ratio lines; return the number of failures."""
    print(f"\n=== summary ({'full' if full else 'quick'} sizes)")
    if not full:
        print("quick sizes show that every benchmark runs; on small inputs fixed costs dominate, so the ratios\n"
              "are not the targets' figures: those come from --full (recorded in benchmarks/README.md)")
    failed = 0
    for bench in benches:
        if bench.code is None:
            print(f"{bench.name}: not run (no QUICK list and no --quick option; see benchmarks/README.md)")
            continue
        status = "ok" if bench.code == 0 else f"FAILED (exit {bench.code})"
        failed += bench.code != 0
        print(f"{bench.name}: {status}, {bench.seconds:.0f} s")
        for line in bench.lines:
            if RATIO.search(line):
                print(f"    {line.strip()}")
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="run each benchmark at its full default size")
    parser.add_argument("--only", default="", help="names to run, comma-separated (merge for bench_merge.py)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and their quick arguments")
    args = parser.parse_args(argv)
    benches = discover()
    wanted = {n.strip().removeprefix("bench_").removesuffix(".py") for n in args.only.split(",") if n.strip()}
    unknown = wanted - {b.name for b in benches}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    benches = [b for b in benches if not wanted or b.name in wanted]
    if args.list:
        for b in benches:
            print(f"{b.name:16s} quick: {' '.join(b.quick) if b.quick is not None else '(none)'}")
        return 0
    start = time.perf_counter()
    for bench in benches:
        if args.full or bench.quick is not None:
            run(bench, [] if args.full else bench.quick)
    failed = summary(benches, args.full)
    print(f"total {time.perf_counter() - start:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
