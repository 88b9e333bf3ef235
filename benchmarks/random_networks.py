"""Seeded random Boolean networks for the scale benchmark (deterministic, no I/O at import).

Each node draws 1-3 distinct regulators (mostly 2) and a rule that combines one literal per
regulator with random ``&`` / ``|`` in a left-nested chain (a nested canalising function, the
shape most published rules have). ``random_bnet(n, seed)`` returns the same text on every
machine and Python version (``random.Random`` with an integer seed).

Run: ``python benchmarks/random_networks.py 100 --seed 1 > r100.bnet``
"""

from __future__ import annotations

import argparse
import random

__all__ = ["random_bnet", "SIZES"]

SIZES = (100, 200, 500, 1000)
"""The random-network sizes of the scale benchmark."""


def random_bnet(n: int, seed: int = 1) -> str:
    """Return a random network with ``n`` nodes ``n0 .. n{n-1}`` as ``.bnet`` text.

    Examples
    --------
    >>> print(random_bnet(3, seed=7))
    targets, factors
    n0, n1
    n1, !n2 & n0
    n2, !n1 & n0
    >>> random_bnet(50, seed=3) == random_bnet(50, seed=3)
    True
    """
    rng = random.Random(seed * 1_000_003 + n)
    lines = ["targets, factors"]
    for i in range(n):
        k = rng.choices((1, 2, 3), weights=(2, 6, 2))[0]
        regs = rng.sample([j for j in range(n) if j != i] or [i], min(k, max(n - 1, 1)))
        text = ""
        for j in regs:
            literal = ("!" if rng.random() < 0.35 else "") + f"n{j}"
            inner = f"({text})" if " " in text else text
            text = literal if not text else f"{literal} {rng.choice('&|')} {inner}"
        lines.append(f"n{i}, {text}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="print a seeded random network (.bnet)")
    parser.add_argument("nodes", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(random_bnet(args.nodes, args.seed))


if __name__ == "__main__":
    main()
