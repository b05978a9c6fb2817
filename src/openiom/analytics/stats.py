"""Small, explicit statistics for the evaluation reports (numpy only).

- `wilson_interval`: the 95% Wilson score interval of a proportion (good at small counts and
  near 0 or 1, where the plain normal interval is not).
- `mean_interval`: a mean with its 95% normal-approximation interval (mean ± 1.96 × s / √n).
- `kaplan_meier`: the product-limit survival curve, with Greenwood's variance and the
  log-minus-log 95% interval (which stays within 0 and 1).
- `small`: the one rule for small numbers, used by everything that leaves the system.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "SMALL_NUMBER",
    "Z95",
    "Interval",
    "KMPoint",
    "kaplan_meier",
    "mean_interval",
    "small",
    "survival_at",
    "wilson_interval",
]

Z95 = 1.959963984540054
SMALL_NUMBER = 5  # counts from 1 to 4 are suppressed, and every figure built on them


def small(count: int | None, small_number: int = SMALL_NUMBER) -> bool:
    """True when a count must not be shown (1 to small_number - 1; zero is shown)."""
    return count is not None and 0 < count < small_number


@dataclass(frozen=True)
class Interval:
    value: float
    lower: float
    upper: float

    def contains(self, x: float) -> bool:
        return self.lower <= x <= self.upper


def wilson_interval(k: int, n: int, z: float = Z95) -> Interval | None:
    if n <= 0:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def mean_interval(values: Sequence[float] | np.ndarray, z: float = Z95) -> Interval | None:
    a = np.asarray(values, dtype=float)
    if a.size == 0:
        return None
    mean = float(a.mean())
    if a.size == 1:
        return Interval(mean, mean, mean)
    half = z * float(a.std(ddof=1)) / math.sqrt(a.size)
    return Interval(mean, max(0.0, mean - half) if mean >= 0 and a.min() >= 0 else mean - half, mean + half)


@dataclass(frozen=True)
class KMPoint:
    day: int
    at_risk: int
    events: int
    censored: int
    survival: float
    lower: float
    upper: float

    @property
    def reoffended(self) -> float:
        """The share reoffended by this day (1 − survival)."""
        return 1.0 - self.survival


def kaplan_meier(durations: Sequence[int] | np.ndarray, events: Sequence[bool] | np.ndarray) -> list[KMPoint]:
    """The curve at day 0 and at every day with an event or a censoring.

    `durations` are days from the index date to the first reoffence (event) or to the end
    of observation (censored); an event and a censoring on the same day count the event first.
    """
    d = np.asarray(durations, dtype=np.int64)
    e = np.asarray(events, dtype=bool)
    if d.shape != e.shape:
        raise ValueError("durations and events differ in length")
    points = [KMPoint(0, int(d.size), 0, 0, 1.0, 1.0, 1.0)]
    if d.size == 0:
        return points
    survival = 1.0
    greenwood = 0.0
    at_risk = int(d.size)
    for day in np.unique(d):
        here = d == day
        events_here = int((e & here).sum())
        censored_here = int((~e & here).sum())
        if events_here:
            survival *= 1 - events_here / at_risk
            if at_risk > events_here:
                greenwood += events_here / (at_risk * (at_risk - events_here))
        lower, upper = _loglog(survival, greenwood)
        points.append(KMPoint(int(day), at_risk, events_here, censored_here, survival, lower, upper))
        at_risk -= events_here + censored_here
    return points


def _loglog(survival: float, greenwood: float, z: float = Z95) -> tuple[float, float]:
    if survival <= 0.0:
        return 0.0, 0.0
    if survival >= 1.0 or greenwood == 0.0:
        return survival, survival
    log_s = math.log(survival)
    se = math.sqrt(greenwood) / abs(log_s)
    lower = survival ** math.exp(z * se)
    upper = survival ** math.exp(-z * se)
    return lower, upper


def survival_at(curve: Sequence[KMPoint], day: int) -> KMPoint | None:
    """The curve's value on a day (the last step on or before it); None if no one was still
    followed by then (the curve is not defined beyond its last observation)."""
    last = None
    for point in curve:
        if point.day > day:
            break
        last = point
    if last is None:
        return None
    followed_beyond = any(p.day >= day for p in curve)
    return last if followed_beyond else None
