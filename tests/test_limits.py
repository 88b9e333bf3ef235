"""Every limit ends with an error naming a real CLI option, within a bounded peak memory.

Each case runs the CLI in a subprocess and reads that process's own peak RSS (``os.wait4``).
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import click
import numpy as np
import pytest

from boolfate.bnet import parse_bnet
from boolfate.cli import main
from boolfate.engines import Limits, attractors
from boolfate.engines.sync import cyclic_states
from boolfate.errors import EngineLimitError

_MEASURED = """
import atexit, os, sys
def _peak():
    status = open("/proc/self/status").read()
    with open(os.environ["PEAK_FILE"], "w") as fh:
        fh.write(status.split("VmHWM:")[1].split()[0])
atexit.register(_peak)
from boolfate.cli import main
main(sys.argv[1:], prog_name="boolfate")
"""


def _run(args: list[str], tmp_path: Path) -> tuple[int, str, float]:
    """Exit code, stderr and peak RSS in MB of ``boolfate ARGS`` in a subprocess.

    The peak is the child's own ``VmHWM`` (its address space after exec), read at exit:
    ``ru_maxrss`` would include the RSS of this test process inherited at fork.
    """
    peak_file = tmp_path / "peak.txt"
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURED, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PEAK_FILE": str(peak_file)},
        timeout=300,
    )
    return proc.returncode, proc.stderr, int(peak_file.read_text()) / 1024


def _model(tmp_path: Path, name: str, rules: list[str]) -> list[str]:
    path = tmp_path / f"{name}.bnet"
    path.write_text("targets, factors\n" + "\n".join(rules) + "\n")
    fates = tmp_path / "fates.toml"
    first = rules[0].split(",")[0]
    fates.write_text(f'[fates]\nOn = "{first}"\n')
    return [str(path), "--fates", str(fates)]


def _ring(n: int) -> list[str]:
    return [f"x{i}, x{(i - 1) % n}" for i in range(n)]


def _only_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def _options() -> set[str]:
    """Every option of every command."""
    names: set[str] = set()
    for cmd in main.commands.values():
        for param in cmd.params:
            names.update(param.opts)
    return names


def test_many_free_inputs_are_refused_at_once(tmp_path: Path) -> None:
    """40 inputs plus a toggle: 2^40 input combinations, refused before any enumeration."""
    rules = [f"i{k}, i{k}" for k in range(40)] + ["t, !t & i0"]
    model = _model(tmp_path, "inputs", rules)
    code, err, peak = _run(tmp_path=tmp_path, args=["attractors", *model, "-u", "sync", "--all"])
    line = _only_error(err)
    assert code == 1
    assert "40 free inputs give 2^40 input combinations" in line and "--max-results" in line
    assert peak < 150, f"{peak:.0f} MB"


def test_free_inputs_count_towards_max_nodes(tmp_path: Path) -> None:
    """10 inputs gating a 20-node ring: 2^30 states in total, refused before enumerating."""
    rules = [f"i{k}, i{k}" for k in range(10)]
    # x_i = x_(i-1) xor i_(i mod 10): a fixed input never percolates into the ring
    rules += [
        f"x{i}, x{(i - 1) % 20} & !i{i % 10} | !x{(i - 1) % 20} & i{i % 10}" for i in range(20)
    ]
    model = _model(tmp_path, "gated", rules)
    code, err, peak = _run(tmp_path=tmp_path, args=["attractors", *model, "-u", "sync", "--all"])
    line = _only_error(err)
    assert code == 1
    assert "more than 2^25 states over the 2^10 combinations of 10 free inputs" in line
    assert "--max-nodes" in line
    assert peak < 150, f"{peak:.0f} MB"


def test_ring_beyond_max_results_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """A 20-node positive ring has 52,488 synchronous cycles: refused, naming --max-results."""
    code, err, peak = _run(
        tmp_path=tmp_path,
        args=["attractors", *_model(tmp_path, "ring", _ring(20)), "-u", "sync", "--all"],
    )
    line = _only_error(err)
    assert code == 1
    assert "found 52488 synchronous attractors" in line and "--max-results" in line
    assert peak < 200, f"{peak:.0f} MB"


def test_ring_over_max_nodes_is_refused_at_once(tmp_path: Path) -> None:
    code, err, peak = _run(
        tmp_path=tmp_path,
        args=["attractors", *_model(tmp_path, "ring", _ring(26)), "-u", "sync", "--all"],
    )
    line = _only_error(err)
    assert code == 1 and "max_nodes=25" in line and "--max-nodes" in line
    assert peak < 150, f"{peak:.0f} MB"


def test_long_sync_trajectory_is_bounded(tmp_path: Path) -> None:
    """A 20-bit LFSR from a non-zero state cycles through 2^20 - 1 states."""
    rules = ["x0, x19 & !x16 | !x19 & x16"] + [f"x{i}, x{i - 1}" for i in range(1, 20)]
    model = _model(tmp_path, "lfsr", rules)
    toml = Path(model[2])
    toml.write_text(toml.read_text() + "[initial_state]\non = ['x0']\n")
    code, err, peak = _run(
        tmp_path=tmp_path, args=["attractors", *model, "-u", "sync", "--max-states", "5000"]
    )
    line = _only_error(err)
    assert code == 1, err
    assert "visits more than max_states=5000 states" in line and "--max-states" in line
    assert peak < 150, f"{peak:.0f} MB"


def test_max_results_for_trap_spaces(tmp_path: Path) -> None:
    rules = [f"i{k}, i{k}" for k in range(12)]
    code, err, peak = _run(
        tmp_path=tmp_path,
        args=["attractors", *_model(tmp_path, "inputs", rules), "-u", "mp", "--max-results", "100"],
    )
    line = _only_error(err)
    assert code == 1 and "max_results=100" in line and "--max-results" in line
    assert peak < 150, f"{peak:.0f} MB"


def test_screen_has_max_results(tmp_path: Path) -> None:
    rules = [f"i{k}, i{k}" for k in range(8)] + ["o, i0"]
    model = _model(tmp_path, "inputs", rules)
    code, err, _ = _run(
        tmp_path=tmp_path,
        args=["screen", *model, "-u", "mp", "--max-results", "10", "--out", str(tmp_path / "o")],
    )
    assert code == 1
    assert "max_results=10" in err and "--max-results" in err and "Traceback" not in err


def _random_rules(n: int, seed: int = 1) -> list[str]:
    """A random network of ``n`` nodes with 3 regulators each (AEON needs minutes on 120)."""
    rng = np.random.default_rng(seed)
    rules = []
    for i in range(n):
        a, b, c = (f"{'!' if rng.random() < 0.4 else ''}x{r}" for r in rng.choice(n, 3, False))
        rules.append(f"x{i}, ({a} & {b}) | {c}")
    return rules


def test_aeon_time_limit(tmp_path: Path) -> None:
    """A 120-node random network exceeds a 0.5 s budget: one line naming --time-limit."""
    model = _model(tmp_path, "random", _random_rules(120))
    started = time.monotonic()
    code, err, peak = _run(
        tmp_path=tmp_path,
        args=["attractors", *model, "--all", "--engine", "aeon", "--time-limit", "0.5"],
    )
    elapsed = time.monotonic() - started
    line = _only_error(err)
    assert code == 1, err
    assert "exceeded --time-limit 0.5 s" in line and "--time-limit SECONDS" in line
    assert elapsed < 60, f"{elapsed:.0f} s"
    assert peak < 300, f"{peak:.0f} MB"


def test_aeon_time_limit_in_a_thread() -> None:
    """Outside the main thread (no SIGALRM) the budget still ends the run."""
    net = parse_bnet("\n".join(_random_rules(120)))
    errors: list[BaseException] = []

    def run() -> None:
        try:
            attractors(net, update="async", engine="aeon", limits=Limits(time_limit=0.5))
        except EngineLimitError as exc:
            errors.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive()
    assert len(errors) == 1 and "--time-limit" in str(errors[0])


def test_aeon_time_limit_leaves_fast_runs_alone() -> None:
    net = parse_bnet("a, !b\nb, !a\nc, a & !c")
    limited = attractors(net, update="async", engine="aeon", limits=Limits(time_limit=30))
    assert limited == attractors(net, update="async", engine="aeon")
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler, None)


def test_aeon_counts_fixed_points_before_listing_them(tmp_path: Path) -> None:
    """40 free inputs: 2^40 fixed points, counted symbolically and refused with the count."""
    rules = [f"i{k}, i{k}" for k in range(40)] + ["o, i0 & i1"]
    model = _model(tmp_path, "inputs", rules)
    code, err, peak = _run(
        tmp_path=tmp_path, args=["attractors", *model, "--all", "--engine", "aeon"]
    )
    line = _only_error(err)
    assert code == 1, err
    assert "has 1,099,511,627,776 fixed points, more than max_results=10,000" in line
    assert "--max-results" in line
    assert peak < 200, f"{peak:.0f} MB"
    code, err, _ = _run(
        tmp_path=tmp_path, args=["attractors", *model, "--all", "--max-results", "5"]
    )
    assert code == 1 and "more than max_results=5;" in _only_error(err)
    ok = attractors(parse_bnet("\n".join(rules[:3])), update="async", engine="aeon")
    assert len(ok) == 8


def test_time_limit_on_every_analysis_command() -> None:
    ctx = click.Context(main)
    for name in ("attractors", "screen", "validate", "targets"):
        command = main.get_command(ctx, name)
        assert command is not None
        assert "--time-limit" in {o for p in command.params for o in p.opts}, name


def test_every_limit_message_names_an_existing_option() -> None:
    """The options that limit errors name exist on the CLI."""
    root = Path(__file__).resolve().parents[1] / "boolfate"
    named = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for option in ("--max-nodes", "--max-states", "--max-results", "--time-limit"):
            if option in text and "EngineLimitError" in text:
                named.add(option)
        assert "CLI: --" not in text or path.name == "_app.py", path
    assert named - _options() == set()


def test_cyclic_states_match_the_definition() -> None:
    rng = np.random.default_rng(7)
    for n in (1, 2, 5, 64, 1000):
        succ = rng.integers(0, n, n)
        on_cycle = set()
        for s in range(n):
            seen = []
            x = s
            while x not in seen:
                seen.append(x)
                x = int(succ[x])
            on_cycle.update(seen[seen.index(x) :])
        assert cyclic_states(succ).tolist() == sorted(on_cycle)


@pytest.mark.parametrize("n", [3, 8])
def test_rings_agree_with_the_explicit_count(n: int) -> None:
    """Synchronous cycles of a positive ring are the binary necklaces of length n."""
    necklaces = {3: 4, 8: 36}[n]
    net = parse_bnet("\n".join(_ring(n)))
    found = attractors(net, update="sync")
    assert len(found) == necklaces
    assert sum(a.size for a in found) == 2**n
    with pytest.raises(EngineLimitError, match="--max-results"):
        attractors(net, update="sync", limits=Limits(max_results=necklaces - 1))


def test_a_cycle_too_long_to_list_is_described_exactly() -> None:
    """A maximal 13-bit LFSR (x^13 + x^4 + x^3 + x + 1): the zero fixed point and one cycle
    of 2^13 - 1 states, too long to list, with every node oscillating."""
    taps = (12, 3, 2, 0)
    odd = [
        " & ".join(("" if b else "!") + f"x{t}" for t, b in zip(taps, bits, strict=True))
        for bits in itertools.product((0, 1), repeat=len(taps))
        if sum(bits) % 2
    ]
    rules = ["x0, " + " | ".join(odd)] + [f"x{i}, x{i - 1}" for i in range(1, 13)]
    zero, cycle = attractors(parse_bnet("\n".join(rules)), update="sync")
    assert zero.size == 1 and zero.values == {f"x{i}": 0 for i in range(13)}
    assert cycle.size == 2**13 - 1 and cycle.states is None
    assert cycle.fixed == () and len(cycle.oscillating) == 13
