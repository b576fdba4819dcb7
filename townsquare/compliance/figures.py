"""Plan compliance in figures: what the plan asks for per week and network, what is
scheduled and published, and whether the pillar mix matches its targets. Pure: no Django.

Weeks start on Monday in the workspace's time zone; the callers bucket publications by
their local day and pass plain numbers here. Texts come in English and German, formatted
with nouns agreeing with their numbers ("1 of 1 post", "2 von 3 Beiträgen").

A week's status per network:
- ``gap``: the week has started (or ended) and fewer are scheduled or published than
  planned;
- ``open``: a week still to come with fewer than planned so far (not yet a gap);
- ``ok``: as planned, or up to the tolerance above it;
- ``overload``: more than planned + 1, or more than 150 % of the plan;
- ``unplanned``: publications on a network the plan gives no cadence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

# More than this many points between a pillar's share and its target: the mix is off.
PILLAR_TOLERANCE_POINTS = 10.0


class Status(StrEnum):
    GAP = "gap"
    OPEN = "open"
    OK = "ok"
    OVERLOAD = "overload"
    UNPLANNED = "unplanned"


# Worse first: a week's overall status is the worst of its networks.
SEVERITY: dict[Status, int] = {
    Status.GAP: 4,
    Status.OVERLOAD: 3,
    Status.OPEN: 2,
    Status.UNPLANNED: 1,
    Status.OK: 0,
}


def week_start(day: date) -> date:
    """The Monday of the ISO week `day` is in."""
    return day - timedelta(days=day.weekday())


def weeks_between(first_day: date, last_day: date) -> list[date]:
    """The Mondays of every ISO week touching [first_day, last_day]."""
    out: list[date] = []
    monday = week_start(first_day)
    while monday <= last_day:
        out.append(monday)
        monday += timedelta(days=7)
    return out


def status_for(planned: int, scheduled: int, published: int, *, started: bool) -> Status:
    """The status of one network in one week (see the module's notes)."""
    count = scheduled + published
    if planned <= 0:
        return Status.UNPLANNED if count else Status.OK
    if count > planned + 1 or count * 2 > planned * 3:
        return Status.OVERLOAD
    if count < planned:
        return Status.GAP if started else Status.OPEN
    return Status.OK


def worst(statuses: Iterable[Status]) -> Status:
    return max(statuses, key=lambda s: SEVERITY[s], default=Status.OK)


# --- texts ---------------------------------------------------------------------------------


def _post_en(n: int) -> str:
    return "post" if n == 1 else "posts"


def _post_de_dative(n: int) -> str:
    # "1 von 1 Beitrag", "2 von 3 Beiträgen": after "von" the plural is in the dative.
    return "Beitrag" if n == 1 else "Beiträgen"


def _post_de(n: int) -> str:
    return "Beitrag" if n == 1 else "Beiträge"


def count_text(count: int, planned: int, network: str, lang: str) -> str:
    """ "2 of 3 posts on LinkedIn", "2 von 3 Beiträgen auf LinkedIn"; with nothing planned:
    "2 posts on Mastodon (not in the plan)"."""
    de = lang.startswith("de")
    if planned <= 0:
        if de:
            return f"{count} {_post_de(count)} auf {network} (nicht im Plan)"
        return f"{count} {_post_en(count)} on {network} (not in the plan)"
    if de:
        return f"{count} von {planned} {_post_de_dative(planned)} auf {network}"
    return f"{count} of {planned} {_post_en(planned)} on {network}"


def detail_text(scheduled: int, published: int, lang: str) -> str:
    """ "1 scheduled, 1 published" / "1 geplant, 1 veröffentlicht"."""
    if lang.startswith("de"):
        return f"{scheduled} geplant, {published} veröffentlicht"
    return f"{scheduled} scheduled, {published} published"


STATUS_TEXTS: dict[Status, tuple[str, str]] = {
    Status.GAP: ("Gap", "Lücke"),
    Status.OPEN: ("Still open", "Noch offen"),
    Status.OK: ("As planned", "Wie geplant"),
    Status.OVERLOAD: ("Too many", "Zu viele"),
    Status.UNPLANNED: ("Not in the plan", "Nicht im Plan"),
}


def status_text(status: Status, lang: str) -> str:
    en, de = STATUS_TEXTS[status]
    return de if lang.startswith("de") else en


def missing_text(missing: int, network: str, lang: str) -> str:
    """ "1 post missing on LinkedIn" / "1 Beitrag fehlt auf LinkedIn"."""
    if lang.startswith("de"):
        verb = "fehlt" if missing == 1 else "fehlen"
        return f"{missing} {_post_de(missing)} {verb} auf {network}"
    return f"{missing} {_post_en(missing)} missing on {network}"


def extra_text(extra: int, network: str, lang: str) -> str:
    """ "2 posts more than planned on X" / "2 Beiträge mehr als geplant auf X"."""
    if lang.startswith("de"):
        return f"{extra} {_post_de(extra)} mehr als geplant auf {network}"
    return f"{extra} {_post_en(extra)} more than planned on {network}"


def pillar_text(name: str, share: float, target: int, lang: str) -> str:
    """ "Education: 20 % (target 40 %)" / "Bildung: 20 % (Ziel 40 %)"."""
    shown = f"{share:.0f}"
    if lang.startswith("de"):
        return f"{name}: {shown} % (Ziel {target} %)"
    return f"{name}: {shown} % (target {target} %)"


# --- rows ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NetworkRow:
    network: str
    label: str
    planned: int
    scheduled: int
    published: int
    status: Status
    text: str
    detail: str
    status_label: str

    @property
    def count(self) -> int:
        return self.scheduled + self.published

    @property
    def missing(self) -> int:
        return max(0, self.planned - self.count)

    @property
    def percent(self) -> int:
        """How full the week is against the plan, for a bar (capped at 100)."""
        if self.planned <= 0:
            return 100 if self.count else 0
        return min(100, round(self.count * 100 / self.planned))


@dataclass(frozen=True, slots=True)
class WeekRow:
    start: date  # Monday
    rows: tuple[NetworkRow, ...]
    current: bool
    started: bool

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def iso_year(self) -> int:
        return self.start.isocalendar()[0]

    @property
    def iso_week(self) -> int:
        return self.start.isocalendar()[1]

    @property
    def status(self) -> Status:
        return worst(row.status for row in self.rows)

    @property
    def gaps(self) -> tuple[NetworkRow, ...]:
        return tuple(row for row in self.rows if row.status is Status.GAP)

    @property
    def overloads(self) -> tuple[NetworkRow, ...]:
        return tuple(row for row in self.rows if row.status is Status.OVERLOAD)


@dataclass(frozen=True, slots=True)
class Counts:
    """Publications of one network in one week."""

    scheduled: int = 0
    published: int = 0


def week_rows(
    weeks: Iterable[date],
    planned: Mapping[str, int],
    counts: Mapping[tuple[date, str], Counts],
    labels: Mapping[str, str],
    today: date,
    lang: str,
) -> list[WeekRow]:
    """One WeekRow per Monday in `weeks`: every network that is planned or has
    publications that week, in the order of `labels` (then by key)."""
    order = {key: i for i, key in enumerate(labels)}
    out: list[WeekRow] = []
    for monday in weeks:
        networks = {n for n, per_week in planned.items() if per_week > 0}
        networks |= {
            n for (w, n), c in counts.items() if w == monday and (c.scheduled or c.published)
        }
        started = monday <= today
        rows: list[NetworkRow] = []
        for network in sorted(networks, key=lambda n: (order.get(n, len(order)), n)):
            c = counts.get((monday, network), Counts())
            plan = max(0, planned.get(network, 0))
            status = status_for(plan, c.scheduled, c.published, started=started)
            label = labels.get(network, network)
            rows.append(
                NetworkRow(
                    network=network,
                    label=label,
                    planned=plan,
                    scheduled=c.scheduled,
                    published=c.published,
                    status=status,
                    text=count_text(c.scheduled + c.published, plan, label, lang),
                    detail=detail_text(c.scheduled, c.published, lang),
                    status_label=status_text(status, lang),
                )
            )
        out.append(
            WeekRow(
                start=monday,
                rows=tuple(rows),
                current=monday == week_start(today),
                started=started,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class PillarRow:
    pillar_id: int | None
    name: str
    target: int
    count: int
    share: float  # percent of all counted posts
    off: bool
    text: str

    @property
    def difference(self) -> float:
        return self.share - self.target


@dataclass(frozen=True, slots=True)
class PillarInput:
    pillar_id: int | None
    name: str
    target: int


@dataclass(frozen=True, slots=True)
class PillarMix:
    rows: tuple[PillarRow, ...]
    total: int

    @property
    def off(self) -> tuple[PillarRow, ...]:
        return tuple(row for row in self.rows if row.off)


def pillar_mix(
    pillars: Iterable[PillarInput],
    counts: Mapping[int | None, int],
    lang: str,
    *,
    no_pillar_name: str,
) -> PillarMix:
    """Each pillar's share of the counted posts against its target. A pillar is off when
    the two differ by more than PILLAR_TOLERANCE_POINTS; with nothing counted, nothing is
    off (there is no mix yet). Posts without a pillar form a row of their own (no target)."""
    total = sum(max(0, n) for n in counts.values())
    rows: list[PillarRow] = []
    known: set[int | None] = set()
    for pillar in pillars:
        known.add(pillar.pillar_id)
        n = max(0, counts.get(pillar.pillar_id, 0))
        if pillar.target <= 0 and n == 0:
            continue
        share = n * 100.0 / total if total else 0.0
        off = (
            bool(total)
            and pillar.target > 0
            and abs(share - pillar.target) > PILLAR_TOLERANCE_POINTS
        )
        rows.append(
            PillarRow(
                pillar_id=pillar.pillar_id,
                name=pillar.name,
                target=pillar.target,
                count=n,
                share=share,
                off=off,
                text=pillar_text(pillar.name, share, pillar.target, lang),
            )
        )
    loose = sum(max(0, n) for key, n in counts.items() if key not in known)
    if loose:
        share = loose * 100.0 / total
        rows.append(
            PillarRow(
                pillar_id=None,
                name=no_pillar_name,
                target=0,
                count=loose,
                share=share,
                off=False,
                text=pillar_text(no_pillar_name, share, 0, lang),
            )
        )
    return PillarMix(rows=tuple(rows), total=total)


@dataclass(frozen=True, slots=True)
class DayMark:
    day: date
    status: Status
    networks: tuple[str, ...] = field(default=())
    text: str = ""


def day_marks(
    weeks: Iterable[WeekRow],
    preferred_days: Mapping[str, Iterable[int]],
    posted_days: Mapping[str, set[date]],
    today: date,
    lang: str,
) -> dict[date, DayMark]:
    """Preferred days (0 = Monday) of networks short of their plan in that week that have
    no publication on that network: "Planned: LinkedIn" on the day, gap if the day has
    passed, open otherwise."""
    marks: dict[date, list[str]] = {}
    for week in weeks:
        short = {row.network: row.label for row in week.rows if row.missing > 0}
        for network, label in short.items():
            for weekday in preferred_days.get(network, ()):
                if not isinstance(weekday, int) or not 0 <= weekday <= 6:
                    continue
                day = week.start + timedelta(days=weekday)
                if day in posted_days.get(network, set()):
                    continue
                marks.setdefault(day, []).append(label)
    out: dict[date, DayMark] = {}
    for day, labels in marks.items():
        names = ", ".join(sorted(labels))
        text = f"Laut Plan: {names}" if lang.startswith("de") else f"Planned: {names}"
        out[day] = DayMark(
            day=day,
            status=Status.GAP if day < today else Status.OPEN,
            networks=tuple(sorted(labels)),
            text=text,
        )
    return out
