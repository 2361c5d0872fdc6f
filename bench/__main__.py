"""`make bench`: run every benchmark module and print (and save) their tables.

Each module exposes `run() -> str` returning a markdown table headed by the command that
made it. A module that is missing or fails is reported, and the others still run.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback
from pathlib import Path

MODULES = ("ocr_bench", "restore_bench", "parse_bench", "duty_bench", "table_bench", "batch_bench",
           "real_bench", "scan_bench")


def _run_one(name: str) -> str:
    start = time.perf_counter()
    try:
        mod = importlib.import_module(f"bench.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"bench.{name}":
            return f"## {name}\n\n(not available)\n"
        raise
    try:
        table = mod.run()
    except Exception:  # one broken bench must not hide the others
        return f"## {name}\n\nFAILED:\n```\n{traceback.format_exc()}```\n"
    return f"## {name}\n\n{table}\n\n({time.perf_counter() - start:.0f} s)\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("bench/results"),
                    help="directory for the markdown report (default: bench/results)")
    ap.add_argument("only", nargs="*", metavar="MODULE",
                    help=f"run only these ({', '.join(MODULES)})")
    args = ap.parse_args(argv)
    unknown = [m for m in args.only if m not in MODULES]
    if unknown:
        ap.error(f"unknown benchmark(s): {', '.join(unknown)}")
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    parts = [f"# vnplans benchmarks ({time.strftime('%Y-%m-%d %H:%M')})\n"]
    for name in args.only or MODULES:
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        part = _run_one(name)
        print(part, flush=True)
        parts.append(part)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.md").write_text("\n".join(parts), encoding="utf-8")
    print(f"bench: report written to {args.out / 'bench.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
