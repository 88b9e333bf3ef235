"""The value a stochastic simulation returns: fate probabilities over time and at the end."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from boolfate.tabular import html_table, to_pandas

__all__ = ["FloatArray", "SimulationResult"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Fate probabilities of a stochastic simulation.

    Attributes
    ----------
    fates
        Fate names (the scheme's rules, then its default).
    times
        Start time of each ``time_tick`` window.
    timecourse
        Array ``(len(times), len(fates))``: time-averaged fate probability in each window.
    final, final_se
        Fate probability at ``max_time`` and its standard error ``sqrt(p (1 - p) / n)``.
    final_states
        Probability of each final state, keyed by its active nodes joined by ``" -- "``
        (``"<nil>"`` = all nodes 0), most probable first.
    trajectories, transitions
        Number of trajectories and of state transitions simulated in total.
    """

    fates: tuple[str, ...]
    times: FloatArray
    timecourse: FloatArray
    final: Mapping[str, float]
    final_se: Mapping[str, float]
    final_states: Mapping[str, float]
    trajectories: int
    transitions: int
    max_time: float
    time_tick: float
    seed: int | None
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def timecourse_se(self) -> FloatArray:
        """Standard errors of :attr:`timecourse` (binomial, an upper bound for window averages)."""
        p = self.timecourse
        se: FloatArray = np.sqrt(np.clip(p * (1 - p), 0, None) / self.trajectories)
        return se

    def __repr__(self) -> str:
        final = ", ".join(f"{k}={v:.3f}" for k, v in self.final.items())
        return f"SimulationResult(trajectories={self.trajectories}, final: {final})"

    def records(self) -> list[dict[str, float]]:
        """One dict per time window: ``time``, then each fate's probability."""
        return [
            {
                "time": float(t),
                **{f: float(self.timecourse[i, j]) for j, f in enumerate(self.fates)},
            }
            for i, t in enumerate(self.times)
        ]

    def to_pandas(self) -> Any:
        """The time course as a :class:`pandas.DataFrame` (one row per window)."""
        return to_pandas(self.records())

    def _repr_html_(self) -> str:
        rows = [{"fate": k, "final": round(float(v), 4)} for k, v in self.final.items()]
        return html_table(rows, caption=repr(self))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with keys ``final``, ``final_se``, ``timecourse``, ``final_states``."""
        return {
            "final": {k: float(v) for k, v in self.final.items()},
            "final_se": {k: float(v) for k, v in self.final_se.items()},
            "timecourse": {
                "time": [float(t) for t in self.times],
                **{f: [float(x) for x in self.timecourse[:, j]] for j, f in enumerate(self.fates)},
            },
            "final_states": {k: float(v) for k, v in self.final_states.items()},
            "trajectories": self.trajectories,
            "transitions": self.transitions,
            "max_time": self.max_time,
            "time_tick": self.time_tick,
            "seed": self.seed,
            **({"settings": dict(self.settings)} if self.settings else {}),
        }
