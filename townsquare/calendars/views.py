"""The calendar's pages: month, week and list, moving a post, notes, and its settings."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townsquare.analytics.suggest_calendar import week_marks
from townsquare.calendars import actions, grid
from townsquare.calendars.access import access_note
from townsquare.calendars.country_names import localized_countries
from townsquare.calendars.holiday_names import countries, subdivision_choices
from townsquare.calendars.models import MAX_NOTE_LENGTH, CalendarNote
from townsquare.calendars.render import TilePage, TileWords, tile_html
from townsquare.calendars.tiles import (
    Filters,
    Tile,
    first_tiles_by_day,
    holidays_of,
    notes_between,
    settings_of,
    tiles_between,
)
from townsquare.compliance.marks import calendar_marks
from townsquare.content.access import access_post
from townsquare.lib.errors import ActionError
from townsquare.lib.local_time import zone_of
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign, Pillar
from townsquare.publishing.models import STATUS_CHOICES
from townsquare.publishing.schedule import utc_to_local
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view

VIEW_URLS = {"month": "workspace_calendar", "week": "calendar_week", "list": "calendar_list"}
COLOURS = ("pillar", "network")
# Where "write a post on this day" starts in the month view.
DEFAULT_HOUR = 9
PALETTE_SIZE = 8
# A month's day shows this many tiles and "N more" (leading to the day in the week view).
MONTH_TILES_PER_DAY = 4
# The list shows this many posts of a day and "and N more" (leading to that day's list,
# which shows them all): a day of hundreds of posts would make a page nobody reads.
LIST_TILES_PER_DAY = 20


def _today(membership: Membership) -> date:
    return utc_to_local(timezone.now(), zone_of(membership.workspace)).date()


def _now_local(membership: Membership) -> datetime:
    return utc_to_local(timezone.now(), zone_of(membership.workspace))


def _url(membership: Membership, view: str, anchor: date, query: dict[str, str]) -> str:
    base = reverse(VIEW_URLS[view], kwargs={"workspace": membership.workspace.slug})
    return base + "?" + urlencode({"day": anchor.isoformat(), **query})


def _compose_url(membership: Membership, at: datetime, base: str = "") -> str:
    base = base or reverse("workspace_compose", kwargs={"workspace": membership.workspace.slug})
    return base + "?" + urlencode({"at": at.strftime("%Y-%m-%dT%H:%M")})


class _Day:
    """One day of a view, with what lies on it."""

    def __init__(self, day: date, today: date, month: int) -> None:
        self.date = day
        self.iso = day.isoformat()
        self.past = day < today
        self.today = day == today
        self.outside = day.month != month
        self.tiles: list[Tile] = []
        self.notes: list[CalendarNote] = []
        self.holidays: list[str] = []
        self.compose_url = ""
        self.hours: list[dict[str, Any]] = []
        self.more_url = ""
        # The words of the month's cell, made once in the view (see _label_days).
        self.number = day.day
        self.month_name = ""
        self.label = ""
        self.write_label = ""
        self.total = 0  # all tiles of the day, where only the first are read (month)
        self.mark: Any = None

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.tiles))


def _label_days(days: list[_Day]) -> None:
    """What the month's cells say of their day ("5 December", "Write a post for 5
    December"), in the reader's language: each month's name formatted once, not four
    template filters in each of 42 cells."""
    months: dict[int, str] = {}
    for day in days:
        if day.date.month not in months:
            months[day.date.month] = dateformat.format(day.date, "F")
        day.month_name = months[day.date.month]
        day.label = f"{day.number} {day.month_name}"
        day.write_label = _("Write a post for %(when)s") % {"when": day.label}


def _choices(membership: Membership) -> dict[str, Any]:
    workspace = membership.workspace
    accounts = list(SocialAccount.objects.filter(workspace=workspace).order_by("network", "handle"))
    networks = sorted({a.network for a in accounts})
    from townsquare.networks.catalog import network_label

    return {
        "networks": [(n, network_label(n)) for n in networks],
        "accounts": accounts,
        "campaigns": list(Campaign.objects.filter(workspace=workspace).order_by("name")),
        "pillars": list(Pillar.objects.filter(workspace=workspace).order_by("name")),
        "statuses": STATUS_CHOICES,
        "authors": [
            m for m in workspace.memberships.select_related("user").order_by("user__email")
        ],
    }


def _compliance(membership: Membership, first: date, last: date) -> Any:
    """The plan's marks (planned vs scheduled per week and network) for the days shown."""
    return calendar_marks(membership.workspace, first, last)


def _page(request: HttpRequest, membership: Membership, view: str) -> HttpResponse:
    today = _today(membership)
    anchor = grid.parse_day(request.GET.get("day", "")) or today
    # The list of one day (where a day's "and N more" leads): every post of that day.
    one_day = view == "list" and request.GET.get("span") == "day"
    found = grid.day_period(anchor) if one_day else grid.period(view, anchor)
    filters = Filters.from_query(request.GET)
    colour = request.GET.get("colour", "")
    colour = colour if colour in COLOURS else "pillar"
    query = {**filters.as_query(), **({"colour": colour} if colour != "pillar" else {})}
    choices = _choices(membership)
    palette = {p.pk: i % PALETTE_SIZE for i, p in enumerate(choices["pillars"])}
    totals: dict[date, int] = {}
    capped = {"month": MONTH_TILES_PER_DAY, "list": LIST_TILES_PER_DAY}.get(view)
    if capped and not one_day:
        tiles, totals = first_tiles_by_day(
            membership.workspace, found.first, found.last, capped, filters
        )
    else:
        tiles = tiles_between(membership.workspace, found.first, found.last, filters)
    post_url = reverse(
        "content_post", kwargs={"workspace": membership.workspace.slug, "post_id": 1}
    ).removesuffix("1/")
    calendar_settings = settings_of(membership.workspace)
    language = translation.get_language() or "en"
    holidays = holidays_of(
        membership.workspace, found.first, found.last, language, calendar_settings
    )
    notes = notes_between(membership.workspace, found.first, found.last)
    month = anchor.month if view != "week" else 0
    days = {d: _Day(d, today, month or d.month) for d in found.days}
    now = _now_local(membership)
    can_schedule = has_perm(membership.role, Perm.SCHEDULE_POSTS)
    can_write = has_perm(membership.role, Perm.WRITE_DRAFTS)
    tile_page = TilePage(
        words=TileWords.now(zone_of(membership.workspace)),
        post_url=post_url,
        move_url=reverse("calendar_move", kwargs={"workspace": membership.workspace.slug}),
        csrf_token=get_token(request),
        here=request.get_full_path(),
        colour=colour,
        palette=palette,
        can_move=can_schedule,
    )
    for tile in tiles:
        tile.html = tile_html(tile, tile_page)  # type: ignore[attr-defined]
        if tile.day in days:
            days[tile.day].tiles.append(tile)
    for note in notes:
        if note.date in days:
            days[note.date].notes.append(note)
    for day, names in holidays.items():
        if day in days:
            days[day].holidays = names
    for day, total in totals.items():
        if day in days:
            days[day].total = total
    # Reversed once for the page, not for each day and hour.
    compose_base = reverse("workspace_compose", kwargs={"workspace": membership.workspace.slug})
    more_view = {"month": "week", "list": "list"}.get(view, "")
    more_base = (
        reverse(VIEW_URLS[more_view], kwargs={"workspace": membership.workspace.slug})
        if more_view
        else ""
    )
    more_query = {**query, "span": "day"} if view == "list" else query
    # The hours that are a best time to post for the accounts in view: read once here.
    best_times = (
        week_marks(
            membership, choices["accounts"], network=filters.network, account_id=filters.account
        )
        if view == "week"
        else None
    )
    for day in days.values():
        if more_base and day.more:
            day.more_url = more_base + "?" + urlencode({"day": day.iso, **more_query})
            if view == "month":
                day.more_url += f"#day-{day.iso}"
        if can_write and not day.past:
            start = datetime.combine(day.date, datetime.min.time()).replace(hour=DEFAULT_HOUR)
            if day.today and start <= now:
                start = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
                if start.date() != day.date:
                    start = now.replace(second=0, microsecond=0)
            day.compose_url = _compose_url(membership, start, compose_base)
        if view == "week":
            for hour in range(24):
                slot = datetime.combine(day.date, datetime.min.time()).replace(hour=hour)
                day.hours.append(
                    {
                        "hour": hour,
                        "tiles": [t for t in day.tiles if t.hour == hour],
                        "past": slot + timedelta(hours=1) <= now,
                        "compose_url": _compose_url(membership, slot, compose_base)
                        if can_write and slot > now
                        else "",
                        "label": slot,
                        "best": best_times.at(day.date.weekday(), hour)
                        if best_times is not None and slot > now
                        else "",
                    }
                )
    marks = _compliance(membership, found.first, found.last) if view != "list" else None
    if marks is not None:
        for day in days.values():
            # The plan's mark of the day (a preferred day still without its post), read
            # here rather than by a loop over every day in each day's cell.
            day.mark = marks.day(day.date)
    ordered = [days[d] for d in found.days]
    if view == "month":
        _label_days(ordered)
    # A day's list stays a day's list through its own links and filters.
    span = {"span": "day"} if one_day else {}
    span_query = {**query, **span}
    context = {
        "membership": membership,
        "workspace": membership.workspace,
        "view": view,
        "period": found,
        "anchor": anchor,
        "today": today,
        "days": ordered,
        "weeks": [ordered[i : i + 7] for i in range(0, len(ordered), 7)],
        "rows": [
            {"hour": hour, "cells": [(day, day.hours[hour]) for day in ordered]}
            for hour in range(24)
        ]
        if view == "week"
        else [],
        "legend": [(p, palette[p.pk]) for p in choices["pillars"]],
        "list_days": [d for d in ordered if d.tiles or d.notes or d.holidays],
        "one_day": one_day,
        "time_zone": zone_of(membership.workspace),
        "filters": filters,
        "colour": colour,
        "query": urlencode(query),
        "links": {
            "previous": _url(membership, view, found.previous, span_query),
            "next": _url(membership, view, found.next, span_query),
            "today": _url(membership, view, today, span_query),
            "whole_month": _url(membership, "list", anchor, query),
            "month": _url(membership, "month", anchor, query),
            "week": _url(membership, "week", anchor, query),
            "list": _url(membership, "list", anchor, query),
            "by_pillar": _url(membership, view, anchor, {**filters.as_query(), **span}),
            "by_network": _url(
                membership, view, anchor, {**filters.as_query(), "colour": "network", **span}
            ),
            "clear": _url(
                membership,
                view,
                anchor,
                {**({"colour": colour} if colour != "pillar" else {}), **span},
            ),
        },
        "here": request.get_full_path(),
        "can_schedule": can_schedule,
        "can_write": can_write,
        "can_configure": has_perm(membership.role, Perm.EDIT_PLAN),
        "calendar_settings": calendar_settings,
        "note_max": MAX_NOTE_LENGTH,
        "compliance_marks": marks,
        "best_times": best_times,
        **choices,
    }
    return render(request, f"calendars/{view}.html", context)


@workspace_view(methods=("GET",))
def month(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _page(request, membership, "month")


@workspace_view(methods=("GET",))
def week(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _page(request, membership, "week")


@workspace_view(methods=("GET",))
def listing(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _page(request, membership, "list")


def _back(request: HttpRequest, membership: Membership) -> HttpResponse:
    """To the calendar page the form was sent from (only a calendar page of this workspace)."""
    target = request.POST.get("next", "")
    prefix = reverse("workspace_calendar", kwargs={"workspace": membership.workspace.slug})
    if (
        isinstance(target, str)
        and target.startswith(prefix)
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        and "\x00" not in target
    ):
        return redirect(target)
    return redirect(prefix)


def _wall_time_from(data: Any) -> datetime | None:
    at = grid.parse_at(data.get("at", ""))
    if at is not None:
        return at
    day = grid.parse_day(data.get("date", ""))
    clock = grid.parse_time(data.get("time", ""))
    if day is None or clock is None:
        return None
    return datetime(day.year, day.month, day.day, clock[0], clock[1])


@workspace_view(Perm.SCHEDULE_POSTS, methods=("POST",))
def move(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Move a post to another day or time (drag and drop, or the Move form of a tile)."""
    post = access_post(membership, request.POST.get("post", ""))
    wall = _wall_time_from(request.POST)
    if wall is None:
        messages.error(request, _("Enter the new date and time, e.g. 2026-12-01 09:30."))
        return _back(request, membership)
    try:
        pubs = actions.do_move_post(membership, post, wall)
    except ActionError as error:
        messages.error(request, _("The post was not moved: %(reason)s") % {"reason": error.message})
        return _back(request, membership)
    messages.success(
        request,
        _("Moved “%(post)s” to %(time)s (%(zone)s).")
        % {
            "post": grid.first_words(post.master_text, 40),
            "time": pubs[0].local_due.replace("T", " "),
            "zone": pubs[0].time_zone,
        },
    )
    return _back(request, membership)


class NoteForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Day"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    text = forms.CharField(label=gettext_lazy("Note"), max_length=MAX_NOTE_LENGTH)


@workspace_view(Perm.WRITE_DRAFTS, methods=("POST",))
def note_add(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The note was not added: give a day and a text of at most %(max)s characters.")
            % {"max": MAX_NOTE_LENGTH},
        )
        return _back(request, membership)
    try:
        actions.do_add_note(membership, form.cleaned_data["date"], form.cleaned_data["text"])
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Note added."))
    return _back(request, membership)


@workspace_view(Perm.WRITE_DRAFTS, lookups={"note_id": access_note})
def note_edit(request: HttpRequest, membership: Membership, note_id: CalendarNote) -> HttpResponse:
    note = note_id
    back = _url(membership, "month", note.date, {})
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                actions.do_delete_note(membership, note)
                messages.success(request, _("Note deleted."))
                return redirect(back)
            form = NoteForm(request.POST)
            if form.is_valid():
                actions.do_edit_note(
                    membership, note, day=form.cleaned_data["date"], text=form.cleaned_data["text"]
                )
                messages.success(request, _("Note saved."))
                return redirect(_url(membership, "month", form.cleaned_data["date"], {}))
        except ActionError as error:
            messages.error(request, error.message)
            form = NoteForm(request.POST)
    else:
        form = NoteForm(initial={"date": note.date, "text": note.text})
    return render(
        request,
        "calendars/note_edit.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "note": note,
            "form": form,
            "back": back,
        },
    )


class CalendarSettingsForm(forms.Form):
    show_holidays = forms.BooleanField(label=gettext_lazy("Show public holidays"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    subdivision = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args: Any, country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("No country"))] + [
            (code, f"{name} ({code})") for code, name in localized_countries().items()
        ]
        self.fields["subdivision"].choices = [
            ("", _("The whole country")),
            *subdivision_choices(country),
        ]
        self.fields["country"].widget.attrs.update(
            {
                "hx-get": "",
                "hx-select": "#subdivision-field",
                "hx-target": "#subdivision-field",
                "hx-swap": "outerHTML",
                "hx-include": "closest form",
            }
        )


@workspace_view(Perm.EDIT_PLAN)
def calendar_settings(request: HttpRequest, membership: Membership) -> HttpResponse:
    current = settings_of(membership.workspace)
    if request.method == "POST":
        country = request.POST.get("country", "")
        form = CalendarSettingsForm(
            request.POST, country=country if isinstance(country, str) else ""
        )
        if form.is_valid():
            try:
                actions.do_update_calendar_settings(
                    membership,
                    show_holidays=form.cleaned_data["show_holidays"],
                    country=form.cleaned_data["country"],
                    subdivision=form.cleaned_data["subdivision"],
                )
            except ActionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Calendar settings saved."))
                return redirect("calendar_settings", workspace=membership.workspace.slug)
    else:
        asked = request.GET.get("country")
        country = asked if isinstance(asked, str) and asked in countries() else current.country
        form = CalendarSettingsForm(
            initial={
                "show_holidays": current.show_holidays if current.pk else True,
                "country": country,
                "subdivision": current.subdivision if country == current.country else "",
            },
            country=country,
        )
    return render(
        request,
        "calendars/settings.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "form": form,
            "settings_tab": "calendar",
        },
    )
