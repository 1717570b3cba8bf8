"""Requirement reading time on hostile and ordinary text, against the reader of a past commit.

    python bench/extract_bench.py [--baseline COMMIT] [--sizes 1500,2000,20000,50000]
                                  [--faces library,cli,api] [--timeout 60]

The baseline is the quadratic reader as it was at ``--baseline`` (default: the last commit
before the linear-time reader), taken from git history at run time (``git archive``) into a
temporary folder; nothing of it is kept in the repository. Every figure comes from a fresh
process (the old reader can run for minutes and ignores SIGTERM inside a regular expression,
so a run past ``--timeout`` seconds is killed and shown as ``>T``); once the old reader times
out on a case, its larger sizes are not tried. Faces: ``library`` gives the CPU time of
``extract_requirements`` in the process (best of 3 runs within a second; CPU time, because
the machines we measure on are shared and wall time varies with their load), ``cli`` times
``smartpick extract FILE`` from start to exit, ``api`` times ``POST /api/extract`` through
the ASGI app.
The texts are written here; no page text of the corpus is used.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "efe8337"  # the reader before it was made linear (main, 2026-11-30)
API_LIMIT = 50_000

ORDINARY = (
    "Applicants must have graduated from medical school within 5 years of the start of "
    "training. We sponsor J-1 visas only; H-1B visas are not sponsored. Scores of 220 on "
    "Step 1 and 230 on Step 2 CK are preferred, on the first attempt. At least 3 months of "
    "hands-on US clinical experience is required, within the past 2 years; observerships do "
    "not count. ECFMG certification is required by the rank order list deadline. Three "
    "letters of recommendation are required, one of them from a US physician.\n"
)


def texts(size: int) -> dict[str, str]:
    """The cases, each about ``size`` characters long."""
    def fill(unit: str) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    return {
        "spaces": "a" + " " * (size - 2) + "b",
        "spaces between cues": fill("US clinical experience" + " " * 200 + "but "),
        "repeated cues": fill("ECFMG certified certification Step 1 220 USCE 3 months letters "),
        "brackets": "(" * (size // 2 - 4) + "J-1 only" + ")" * (size // 2 - 4),
        "ordinary": fill(ORDINARY),
        "ordinary, one sentence": fill(ORDINARY.replace(".", ",").replace(";", ",")
                                       .replace("\n", " ")),
    }


DRIVER = r"""
import sys, time
face, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
if face == "library":
    from smartpick.rules.extract import extract_requirements
    best, spent = float("inf"), 0.0
    for _ in range(3):  # best of 3, unless one run already takes over a second
        start = time.process_time()
        extract_requirements(text)
        took = time.process_time() - start
        best, spent = min(best, took), spent + took
        if spent > 1:
            break
    print(best)
else:
    import warnings
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
    from smartpick.web import WebLimits, create_app
    client = TestClient(create_app(limits=WebLimits(rate_per_minute=1e9, burst=10**9)))
    client.post("/api/extract", json={"text": "J-1 only."})
    start = time.perf_counter()
    reply = client.post("/api/extract", json={"text": text})
    assert reply.status_code == 200, reply.text
    print(time.perf_counter() - start)
"""


def baseline_tree(commit: str, into: Path) -> Path:
    """The ``src`` folder of ``commit``, unpacked from git history into ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "src"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def measure(face: str, src: Path, text_file: Path, home: Path, timeout: float) -> float | None:
    """Seconds for one run, or None when killed after ``timeout``."""
    env = {"PYTHONPATH": str(src), "SMARTPICK_HOME": str(home), "PATH": "/usr/bin:/bin"}
    if face == "cli":
        command = [sys.executable, "-c", "from smartpick.cli import main; main()",
                   "extract", str(text_file)]
    else:
        command = [sys.executable, "-c", DRIVER, face, str(text_file)]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise click.ClickException(f"{face} failed on {text_file.name}: {done.stderr[-500:]}")
    return elapsed if face == "cli" else float(done.stdout.split()[-1])


def shown(seconds: float | None, timeout: float) -> str:
    return f">{timeout:g}" if seconds is None else f"{seconds:.3f}"


@click.command()
@click.option("--baseline", default=BASELINE, show_default=True)
@click.option("--sizes", default="1500,2000,20000,50000", show_default=True)
@click.option("--faces", default="library,cli,api", show_default=True)
@click.option("--timeout", default=60.0, show_default=True, help="seconds per old run")
def main(baseline: str, sizes: str, faces: str, timeout: float) -> None:
    lengths = [int(s) for s in sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        old_src = baseline_tree(baseline, work)
        new_src = ROOT / "src"
        (work / "home").mkdir()
        click.echo(f"baseline {baseline} (old) against the working tree (new); seconds "
                   "(library: CPU time; cli, api: wall time)")
        click.echo(f"{'face':8} {'case':24} {'chars':>6} {'old':>8} {'new':>8} {'old/new':>8}")
        for face in faces.split(","):
            gave_up: set[str] = set()
            for size in lengths:
                for case, text in texts(size).items():
                    if face == "api" and len(text) > API_LIMIT:
                        continue
                    text_file = work / f"{case.replace(' ', '_')}_{size}.txt"
                    text_file.write_text(text, encoding="utf-8")
                    old = None if case in gave_up else measure(
                        face, old_src, text_file, work / "home", timeout)
                    if old is None:
                        gave_up.add(case)
                    new = measure(face, new_src, text_file, work / "home", timeout)
                    ratio = f"{old / new:8.1f}" if old and new else f"{'>' if new else '':>8}"
                    if old is None and new:
                        ratio = f"{'>' + format(timeout / new, '.0f'):>8}"
                    click.echo(f"{face:8} {case:24} {len(text):6} {shown(old, timeout):>8} "
                               f"{shown(new, timeout):>8} {ratio}")


if __name__ == "__main__":
    main()
