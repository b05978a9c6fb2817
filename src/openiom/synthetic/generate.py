"""Generate a delivery: people simulated one at a time and written as they are made."""

from __future__ import annotations

import contextlib
import multiprocessing
import random
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .model import SEXUAL, Career, Model, Offence
from .sources import (
    DOMESTIC,
    MARAC_CHANCE,
    PROBATION_DISPOSALS,
    SANCTIONS,
    SOURCES,
    Identity,
    Ids,
    Recorder,
    asset_score,
    dip_starts,
    dyo_start,
    id_schemes,
    identity,
    mappa_level,
    rosh_level,
)
from .writer import DeliveryWriter

DEFAULT_END_DATE = date(2026, 10, 31)
MAX_PEOPLE = 5_000_000  # the id schemes (PN + 7 digits and so on) hold this many and more
PROGRESS_EVERY = 50_000
CHUNK = 2_000  # people simulated from one random stream (the unit of work for a worker process)
MAPPA_SEXUAL_CHANCE = 0.3  # of sexual offenders on probation: registered and managed under MAPPA
MAPPA_VIOLENT_CHANCE = 0.05  # of violent offenders sentenced to 12 months or more (MAPPA category 2)
MAPPA_VIOLENT = frozenset(("homicide", "violence_with_injury", "robbery_personal", "stalking_harassment"))


@dataclass(frozen=True)
class Settings:
    people: int
    years: int
    seed: int
    out: Path
    format: str = "csv"
    end_date: date = DEFAULT_END_DATE


@dataclass
class Summary:
    files: dict[str, int] = field(default_factory=dict)  # file name -> rows
    people: int = 0  # true people (each has at least one offence in the window)
    careers_drawn: int = 0  # including careers with nothing recorded in the window
    seconds: float = 0.0


def generate(settings: Settings, progress: Callable[[str], None] | None = None, workers: int = 1) -> Summary:
    """Write the delivery and ground_truth.csv into `settings.out`. Same settings, same bytes.

    Careers are simulated in chunks of CHUNK people, each chunk from its own random stream, so
    they can be simulated in `workers` processes with the same output whatever their number.
    Records, ids and files are made in order in this process, so more than about two workers
    gain nothing; on a machine whose CPUs share one core (like the benchmark machine) one
    worker, in this process, is fastest.
    """
    if settings.people < 1 or settings.people > MAX_PEOPLE:
        raise ValueError(f"people must be between 1 and {MAX_PEOPLE:,}")
    started = time.perf_counter()
    end, window_start = window(settings.end_date, settings.years)
    jobs = [
        (settings.seed, k, min(CHUNK, settings.people - k * CHUNK), settings.end_date, settings.years)
        for k in range((settings.people + CHUNK - 1) // CHUNK)
    ]
    # Independent streams, so that changing how records vary leaves the careers as they were.
    # Not for secrets: a seeded, reproducible generator is the point.
    records = random.Random(f"{settings.seed}:records")  # noqa: S311
    ids = random.Random(f"{settings.seed}:ids")  # noqa: S311
    writer = DeliveryWriter(settings.out, settings.format, SOURCES)
    emitter = _Emitter(writer, records, id_schemes(ids), end, window_start)
    summary = Summary()
    try:
        with contextlib.ExitStack() as stack:
            if workers > 1 and len(jobs) > 1:
                # "spawn", never "fork": a forked copy of a process that has loaded DuckDB, polars or
                # Django (the web app, the test suite) can crash in its first garbage collection.
                pool = stack.enter_context(multiprocessing.get_context("spawn").Pool(workers))
                chunks: Iterator[tuple[list[Career], int]] = _in_order(pool, jobs, ahead=2 * workers)
            else:
                chunks = map(simulate_chunk, jobs)
            for careers, drawn in chunks:
                summary.careers_drawn += drawn
                for career in careers:
                    summary.people += 1
                    emitter.person(summary.people, career)
                    if progress is not None and summary.people % PROGRESS_EVERY == 0:
                        elapsed = time.perf_counter() - started
                        progress(f"{summary.people:,} of {settings.people:,} people ({elapsed:.1f} s)")
        summary.files = writer.close()
    except BaseException:
        writer.abort()
        raise
    summary.seconds = time.perf_counter() - started
    return summary


def window(end_date: date, years: int) -> tuple[int, int]:
    """The extract date and the first day of the offending window, as ordinals."""
    model = Model(random.Random(0), end_date, years)  # noqa: S311 (no draws: only the dates)
    return model.end, model.window_start


def simulate_chunk(job: tuple[int, int, int, date, int]) -> tuple[list[Career], int]:
    """`size` careers seen in the window, from chunk `chunk`'s own stream; and how many were drawn."""
    seed, chunk, size, end_date, years = job
    model = Model(random.Random(f"{seed}:careers:{chunk}"), end_date, years)  # noqa: S311
    careers: list[Career] = []
    drawn = 0
    while len(careers) < size:
        drawn += 1
        career = model.career()
        if career is not None:
            careers.append(career)
    return careers, drawn


def _simulate_packed(job: tuple[int, int, int, date, int]) -> tuple[list[tuple[Any, ...]], int]:
    """simulate_chunk for a worker process: careers as plain tuples, several times faster to pickle."""
    careers, drawn = simulate_chunk(job)
    return [c.pack() for c in careers], drawn


def _in_order(pool: Any, jobs: list[Any], ahead: int) -> Iterator[tuple[list[Career], int]]:
    """Results in job order, with at most `ahead` chunks waiting in memory."""
    pending: deque[Any] = deque()
    queue = iter(jobs)
    for job in queue:
        pending.append(pool.apply_async(_simulate_packed, (job,)))
        if len(pending) >= ahead:
            break
    while pending:
        packed, drawn = pending.popleft().get()
        nxt = next(queue, None)
        if nxt is not None:
            pending.append(pool.apply_async(_simulate_packed, (nxt,)))
        yield [Career.unpack(p) for p in packed], drawn


class _Emitter:
    """Turns a career into each agency's rows."""

    def __init__(
        self, writer: DeliveryWriter, rng: random.Random, ids: dict[str, Ids], end: int, window_start: int
    ) -> None:
        self.writer, self.rng, self.ids = writer, rng, ids
        self.end, self.window_start = end, window_start
        self.recorder = Recorder(rng, date.fromordinal(end))
        first = date(1900, 1, 1).toordinal()
        self._first_day = first
        self._iso = [date.fromordinal(d).isoformat() for d in range(first, end + 1)]

    def iso(self, day: int | None) -> str:
        return "" if day is None else self._iso[day - self._first_day]

    def person(self, index: int, career: Career) -> None:
        rng, end, add = self.rng, self.end, self.writer.add
        true_id = f"T{index:07d}"
        ident = identity(rng, career, self.ids["pnc"].next())
        window = [o for o in career.offences if o.day >= self.window_start]
        charged = any(o.outcome in ("charge", "conviction", "caution") for o in career.offences)

        # police: everyone, every offence, PPO and MARAC flags
        pid = self._person_row("police", ident, true_id, pnc_known=charged or rng.random() < 0.6, first=window[0].day)
        events, iso = self.ids["event"], self._iso
        offences = self.writer.adder("offences", "police")
        for o in window:
            day = iso[o.day - self._first_day]
            sentence = str(o.sentence_days) if o.sentence_days else ""
            outcome_day = iso[o.outcome_day - self._first_day]
            offences(
                (
                    f"RV{events.next()}/{day[2:4]}",
                    pid,
                    "police",
                    o.code,
                    day,
                    o.outcome,
                    outcome_day,
                    o.disposal,
                    sentence,
                    o.ward,
                )
            )
        ppo = career.ppo_day
        if ppo is not None:
            last = max(o.day for o in window)
            ppo_end = max(ppo, last) + 730
            add(
                "flags",
                "police",
                (pid, "police", "ppo", "", self.iso(ppo), self.iso(ppo_end if ppo_end <= end else None)),
            )
        for o in window:
            if o.code in DOMESTIC and rng.random() < MARAC_CHANCE:
                start = o.day + rng.randint(7, 42)
                if start <= end:
                    stop = start + 365
                    add(
                        "flags",
                        "police",
                        (pid, "police", "marac", "", self.iso(start), self.iso(stop if stop <= end else None)),
                    )
                break

        self._probation(career, ident, true_id, window)
        self._yot(career, ident, true_id, window)
        self._prison(career, ident, true_id)
        starts = dip_starts(rng, career, window)
        if starts:
            sid = self._person_row("substance", ident, true_id)
            for start in starts:
                stop = start + rng.randint(60, 365)
                add(
                    "flags",
                    "substance",
                    (sid, "substance", "dip", "", self.iso(start), self.iso(stop if stop <= end else None)),
                )

    def _person_row(
        self, source: str, ident: Identity, true_id: str, *, pnc_known: bool = True, first: int | None = None
    ) -> str:
        pid = self.ids[source].next()
        given, family, dob, gender, ethnicity, pnc, code, ward = self.recorder.person(
            ident, source, pnc_known=pnc_known, first_event=first
        )
        self.writer.add("people", source, (pid, source, given, family, dob, gender, ethnicity, pnc, code, ward))
        self.writer.add("ground_truth", source, (source, pid, true_id))
        return pid

    def _probation(self, career: Career, ident: Identity, true_id: str, window: list[Offence]) -> None:
        sentences = [
            o for o in window if o.outcome == "conviction" and o.age >= 18 and o.disposal in PROBATION_DISPOSALS
        ]
        if not sentences:
            return
        rng, end, add = self.rng, self.end, self.writer.add
        pid = self._person_row("probation", ident, true_id)
        convictions_before = sum(1 for o in career.offences if o.outcome == "conviction" and o.day < self.window_start)
        assessments: dict[int, str] = {}
        for n, o in enumerate(sorted(sentences, key=lambda o: o.outcome_day)):
            if o.outcome_day not in assessments:  # an OASys assessment, with its RoSH level, for each sentence
                assessments[o.outcome_day] = rosh_level(rng, o, convictions_before + n)
        days = sorted(assessments)
        for i, day in enumerate(days):
            until = days[i + 1] - 1 if i + 1 < len(days) else None
            add("flags", "probation", (pid, "probation", "rosh", assessments[day], self.iso(day), self.iso(until)))
        sexual = [o for o in sentences if o.code in SEXUAL]
        violent = [o for o in sentences if o.code in MAPPA_VIOLENT and o.sentence_days >= 365]
        chosen = None
        if sexual and rng.random() < MAPPA_SEXUAL_CHANCE:
            chosen = sexual[0]
        elif violent and rng.random() < MAPPA_VIOLENT_CHANCE:
            chosen = violent[0]
        if chosen is not None:
            start = chosen.outcome_day
            if chosen.disposal == "immediate_custody":
                release = start + chosen.sentence_days // 2
                start = release if release <= end else start
            add("flags", "probation", (pid, "probation", mappa_level(rng), "", self.iso(start), ""))

    def _yot(self, career: Career, ident: Identity, true_id: str, window: list[Offence]) -> None:
        youth = [o for o in window if o.age < 18 and o.outcome in ("charge", "conviction", "caution")]
        if not youth:
            return
        rng, end, add = self.rng, self.end, self.writer.add
        pid = self._person_row("yot", ident, true_id)
        assessed: set[int] = set()
        previous = 0
        for o in sorted(youth, key=lambda o: o.outcome_day):
            if o.outcome in SANCTIONS:
                if (o.outcome == "conviction" or not assessed) and o.outcome_day not in assessed:
                    assessed.add(o.outcome_day)
                    score = str(asset_score(rng, career.rate, previous))
                    add("flags", "yot", (pid, "yot", "asset_score", score, self.iso(o.outcome_day), ""))
                previous += 1
        start = dyo_start(window)
        if start is not None:  # a Deter Young Offender until their 18th birthday
            until = max(start, _birthday(career.dob, 18))
            add("flags", "yot", (pid, "yot", "dyo", "", self.iso(start), self.iso(until if until <= end else None)))

    def _prison(self, career: Career, ident: Identity, true_id: str) -> None:
        periods = [
            c
            for c in career.custody
            if c.reception >= self.window_start and career.offences[c.offence].day >= self.window_start
        ]
        if not periods:
            return
        first = min(c.reception for c in periods)
        pid = self._person_row("prison", ident, true_id, first=first)
        # Merged concurrent sentences can end up starting on the same day: one period per reception day
        # (the standard's key), ending with the latest release (None: still in custody).
        releases: dict[int, int | None] = {}
        for c in periods:
            if c.reception in releases:
                held = releases[c.reception]
                releases[c.reception] = None if held is None or c.release is None else max(held, c.release)
            else:
                releases[c.reception] = c.release
        for reception in sorted(releases):
            self.writer.add("custody", "prison", (pid, "prison", self.iso(reception), self.iso(releases[reception])))


def _birthday(dob: date, years: int) -> int:
    if (dob.month, dob.day) == (2, 29):
        return date(dob.year + years, 3, 1).toordinal()
    return dob.replace(year=dob.year + years).toordinal()
