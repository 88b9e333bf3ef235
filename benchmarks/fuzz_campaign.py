"""Hostile-input campaign: N generated or mutated inputs per reader, each under a timeout.

Targets (the readers a user's files reach):

* ``bnet-cli``: ``boolfate attractors F.bnet --fates F.toml`` (Calzone 2010 fates);
* ``parse_bnet``: :func:`boolfate.bnet.parse_bnet` on decoded text;
* ``model.toml``: :func:`boolfate.bundle.load_bundle` on a folder with a mutated ``model.toml``;
* ``obs-lib``: :func:`boolfate.validate.read_observations` on a mutated ``observations.csv``;
* ``obs-cli``: ``boolfate validate calzone2010 --observations F.csv``.

Inputs are arbitrary bytes, structured mutations of the bundled Calzone 2010 files (insertions
of hostile tokens, deletions, duplicated slices, byte flips, a BOM, non-UTF-8 bytes, deep
nesting, long ``!`` chains, wide rules, a rule with 16 regulators, cells over the CSV field
limit, contradictory perturbations) and generated rules. Input ``i`` of a target is drawn from
``random.Random(f"{seed}:{target}:{i}")``: the same command gives the same inputs.

Each input runs in a long-lived worker process (forked, so imports are paid once); the CLI runs
in-process through click exactly as ``boolfate`` does, so an exception escaping it is the
traceback a user would see. An input still running after ``--timeout`` seconds is a hang: the
worker is killed and replaced. Outcomes per target: accepted (exit 0), refused with the
project's one-line error (exit 1 / ``BoolfateError``), usage error (exit 2), multi-line error
output, raw traceback (by exception type), hang, crashed worker; and the slowest input.

Run: ``python benchmarks/fuzz_campaign.py [--inputs 300] [--timeout 10] [--seed 0]
[--targets bnet-cli,parse_bnet,...]``. Exit status 1 if any traceback, hang or crash occurred.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from boolfate.bundle import bundled_path

CALZONE = bundled_path("calzone2010")
assert CALZONE is not None
BNET = (CALZONE / "model.bnet").read_text(encoding="utf-8")
TOML = (CALZONE / "model.toml").read_text(encoding="utf-8")
OBS = (CALZONE / "observations.csv").read_text(encoding="utf-8")
NODES = [line.split(",")[0].strip() for line in BNET.splitlines()[1:] if "," in line]

TOKENS = [
    *"()!&|^,#%=[]{}\"'\\;:+<>",
    *("\n", "\r\n", "\r", "\t", "\x00", "\ufeff", "true", "false", "targets, factors", "0", "1"),
    *("TNF%1", "CASP8%0 CASP8%1", "=cmd|' /C calc'!A0", "${x}", "[fates]", "[rates]", "= 1"),
    *("default_condition = []", "conditions = 1", 'initial_state = "ATP"', "fates = [1]"),
]
TARGETS = ("bnet-cli", "parse_bnet", "model.toml", "obs-lib", "obs-cli")


# --------------------------------------------------------------------------------------------
# inputs


def _mutate(rng: random.Random, text: str) -> str:
    out = text
    for _ in range(rng.randint(1, 6)):
        pos = rng.randint(0, len(out))
        action = rng.choice(["insert", "insert", "delete", "duplicate", "swap"])
        if action == "insert":
            piece = rng.choice(TOKENS) if rng.random() < 0.8 else chr(rng.randint(1, 0x2FFF))
            out = out[:pos] + piece * rng.choice([1, 1, 1, 3, 50]) + out[pos:]
        elif action == "delete":
            out = out[:pos] + out[pos + rng.randint(1, 60) :]
        elif action == "duplicate":
            out = out[:pos] + out[pos : pos + rng.randint(1, 200)] * rng.randint(2, 4) + out[pos:]
        else:
            lines = out.splitlines(keepends=True)
            if len(lines) > 2:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
            out = "".join(lines)
    return out


def _to_bytes(rng: random.Random, text: str) -> bytes:
    data = text.encode("utf-8", errors="surrogatepass")
    roll = rng.random()
    if roll < 0.05:
        data = b"\xef\xbb\xbf" + data
    elif roll < 0.10 and data:
        pos = rng.randrange(len(data))
        data = data[:pos] + bytes([rng.choice([0xFF, 0xC3, 0x80, 0xFE])]) + data[pos:]
    elif roll < 0.13 and data:
        pos = rng.randrange(len(data))
        data = data[:pos] + bytes([data[pos] ^ (1 << rng.randrange(8))]) + data[pos + 1 :]
    return data


def _generated_rule(rng: random.Random) -> str:
    kind = rng.choice(["nested", "nots", "wide", "regulators", "xor"])
    a, b = rng.choice(NODES), rng.choice(NODES)
    if kind == "nested":
        depth = rng.choice([10, 100, 300, 1000, 5000])
        return "(" * depth + a + ")" * depth
    if kind == "nots":
        return "!" * rng.choice([2, 199, 1000, 20000]) + a
    if kind == "wide":
        return " & ".join(rng.choice(NODES) for _ in range(rng.choice([50, 1000, 20000])))
    if kind == "regulators":
        regs = rng.sample(NODES, min(16, len(NODES)))
        return " | ".join(f"({x} & !{y})" for x, y in zip(regs, regs[1:] + regs[:1], strict=True))
    return f"{a} ^ {b} ^ !{a}"


def bnet_input(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.15:
        return rng.randbytes(rng.randint(0, 400))
    text = BNET
    if roll < 0.45:
        lines = text.splitlines()
        i = rng.randrange(1, len(lines))
        name = lines[i].split(",")[0]
        lines[i] = f"{name}, {_generated_rule(rng)}"
        text = "\n".join(lines) + "\n"
    if roll >= 0.3:
        text = _mutate(rng, text)
    return _to_bytes(rng, text)


def toml_input(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.15:
        return rng.randbytes(rng.randint(0, 400))
    text = _mutate(rng, TOML)
    if roll < 0.35:
        key = rng.choice(["title", "default_fate", "default_condition", "conditions", "fates"])
        value = rng.choice(["1", "[]", '["TNF%1"]', "{a = 1}", "true", '"x;y"', '""'])
        text = f"{key} = {value}\n" + TOML.replace(f"\n{key} =", f"\n# {key} =")
    return _to_bytes(rng, text)


def obs_input(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.15:
        return rng.randbytes(rng.randint(0, 400))
    lines = OBS.splitlines()
    if roll < 0.25:
        lines.insert(rng.randint(1, len(lines)), "x1,TNF,," + "y" * 140_000 + ",c,s,consensus,")
        text = "\n".join(lines) + "\n"
    elif roll < 0.35:
        pert = rng.choice(["CASP8%0 CASP8%1", "CASP8%0;RIP1%0", "=1+1", "casp8_ko CASP8%1"])
        lines.insert(rng.randint(1, len(lines)), f"x2,TNF,{pert},includes Survival,c,s,context,")
        text = "\n".join(lines) + "\n"
    else:
        text = _mutate(rng, OBS)
    return _to_bytes(rng, text)


GENERATORS: dict[str, Callable[[random.Random], bytes]] = {
    "bnet-cli": bnet_input,
    "parse_bnet": bnet_input,
    "model.toml": toml_input,
    "obs-lib": obs_input,
    "obs-cli": obs_input,
}


# --------------------------------------------------------------------------------------------
# running one input (in the worker)


def _cli(args: list[str]) -> tuple[str, str]:
    from boolfate.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main.main(args=args, prog_name="boolfate", standalone_mode=True)
            code: Any = 0
        except SystemExit as exc:
            code = exc.code if exc.code is not None else 0
    text = err.getvalue()
    if "Traceback" in text:
        return "traceback", "printed traceback"
    lines = [ln for ln in text.strip().splitlines() if not ln.startswith(("Usage:", "Try "))]
    if code not in (0, 1, 2):
        return f"exit {code}", text.strip()[-200:]
    if code != 0 and len([ln for ln in lines if ln.strip()]) > 1:
        return "multi-line error", text.strip()[:200]
    return {0: "accepted", 1: "refused (exit 1)", 2: "usage error (exit 2)"}[int(code)], ""


def _library(call: Callable[[], object]) -> tuple[str, str]:
    from boolfate.errors import BoolfateError

    try:
        call()
    except BoolfateError as exc:
        text = str(exc)
        if not text.strip() or "\n" in text.strip():
            return "multi-line error", text[:200]
        return "refused (exit 1)", ""
    return "accepted", ""


def run_one(target: str, data: bytes, work: Path) -> tuple[str, str]:
    """Outcome and detail of one input (exceptions other than the project's propagate)."""
    from boolfate.bnet import parse_bnet
    from boolfate.bundle import load_bundle
    from boolfate.textio import decode
    from boolfate.validate import read_observations

    fates = work / "fates.toml"
    if not fates.exists():
        fates.write_text(TOML, encoding="utf-8")
    if target == "bnet-cli":
        path = work / "m.bnet"
        path.write_bytes(data)
        return _cli(["attractors", str(path), "--fates", str(fates)])
    if target == "parse_bnet":
        return _library(lambda: parse_bnet(decode(data, "m.bnet"), source="m.bnet"))
    if target == "model.toml":
        folder = work / "bundle"
        folder.mkdir(exist_ok=True)
        (folder / "model.bnet").write_text(BNET, encoding="utf-8")
        (folder / "model.toml").write_bytes(data)
        return _library(lambda: load_bundle(folder))
    path = work / "observations.csv"
    path.write_bytes(data)
    if target == "obs-lib":
        bundle = load_bundle("calzone2010")
        return _library(lambda: read_observations(path, bundle))
    return _cli(["validate", "calzone2010", "--observations", str(path)])


def _worker(conn: Connection, work: str) -> None:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    warnings.simplefilter("ignore")
    while True:
        job = conn.recv()
        if job is None:
            return
        target, data = job
        try:
            outcome = run_one(target, data, Path(work))
        except BaseException as exc:  # noqa: BLE001 - that is what is being counted
            outcome = (f"traceback: {type(exc).__name__}", str(exc)[:200])
        conn.send(outcome)


class Worker:
    """A forked worker process; replaced after a hang or a crash."""

    def __init__(self, work: str) -> None:
        self.work = work
        self._start()

    def _start(self) -> None:
        ctx = mp.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, self.work), daemon=True)
        self.proc.start()
        child.close()

    def run(self, target: str, data: bytes, timeout: float) -> tuple[str, str, float]:
        start = time.perf_counter()
        self.conn.send((target, data))
        if self.conn.poll(timeout):
            try:
                outcome, detail = self.conn.recv()
                return outcome, detail, time.perf_counter() - start
            except EOFError:
                pass
        elapsed = time.perf_counter() - start
        alive = self.proc.is_alive()
        self.close()
        self._start()
        if alive:
            return f"hang > {timeout:g} s", "", elapsed
        return f"crash (exit {self.proc.exitcode})", "", elapsed

    def close(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


# --------------------------------------------------------------------------------------------
# the campaign


BAD = ("traceback", "hang", "crash", "multi-line", "exit ")


def campaign(
    targets: list[str], inputs: int, timeout: float, seed: int, examples: int
) -> dict[str, collections.Counter[str]]:
    """Run every target; print one progress line per target; return the outcome counts."""
    results: dict[str, collections.Counter[str]] = {}
    with tempfile.TemporaryDirectory(prefix="boolfate-fuzz-") as tmp:
        for target in targets:
            work = Path(tmp) / target
            work.mkdir()
            worker = Worker(str(work))
            counts: collections.Counter[str] = collections.Counter()
            shown: dict[str, int] = {}
            slowest = (0.0, -1)
            started = time.perf_counter()
            for i in range(inputs):
                rng = random.Random(f"{seed}:{target}:{i}")
                outcome, detail, elapsed = worker.run(target, GENERATORS[target](rng), timeout)
                counts[outcome] += 1
                slowest = max(slowest, (elapsed, i))
                if outcome.startswith(BAD) and shown.get(outcome, 0) < examples:
                    shown[outcome] = shown.get(outcome, 0) + 1
                    print(f"  {target} #{i}: {outcome} {detail}", file=sys.stderr)
            worker.close()
            counts[f"slowest: #{slowest[1]} {slowest[0]:.2f} s"] = 0
            print(
                f"{target}: {inputs} inputs in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
            results[target] = counts
    return results


def table(results: dict[str, collections.Counter[str]], inputs: int) -> str:
    """A Markdown table: one row per target, the problem columns first."""
    lines = [
        f"| target ({inputs} inputs each) | raw tracebacks | hangs | crashes | multi-line errors "
        "| accepted | refused (exit 1) | usage (exit 2) | slowest input |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for target, counts in results.items():

        def total(prefix: str, c: collections.Counter[str] = counts) -> int:
            return sum(n for k, n in c.items() if k.startswith(prefix))

        kinds = sorted(k.split(": ", 1)[1] for k in counts if k.startswith("traceback: "))
        tb = str(total("traceback")) + (f" ({', '.join(kinds)})" if kinds else "")
        slowest = next(k for k in counts if k.startswith("slowest")).split(": ", 1)[1]
        lines.append(
            f"| {target} | {tb} | {total('hang')} | {total('crash') + total('exit ')} "
            f"| {total('multi-line')} | {total('accepted')} | {total('refused')} "
            f"| {total('usage')} | {slowest} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=300, help="inputs per target")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a hang")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--examples", type=int, default=3, help="problem inputs shown per kind")
    args = parser.parse_args(argv)
    targets = [t for t in args.targets.split(",") if t]
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target {unknown[0]!r}; choose from {', '.join(TARGETS)}")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    results = campaign(targets, args.inputs, args.timeout, args.seed, args.examples)
    print(table(results, args.inputs))
    bad = sum(n for c in results.values() for k, n in c.items() if k.startswith(BAD[:3]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
