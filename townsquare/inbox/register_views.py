"""Pages of the feedback register: the topics (filters, counts, trend), one topic (its items,
rename, department, merge, split, the status steps, the company's answer and its drafts), and
the register as CSV."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from townsquare.inbox import register_actions as actions
from townsquare.inbox.access import access_department, access_departments, access_topics
from townsquare.inbox.models import FeedbackItem, Reply, ReplyStatus, TopicStatus
from townsquare.inbox.register import (
    FEEDBACK_CATEGORIES,
    access_topic,
    register_csv,
    sparkline_points,
    topics_with_counts,
    trends,
)
from townsquare.lib.bounds import id_from_text
from townsquare.lib.errors import ActionError
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view

TOPIC: dict[str, Any] = {"topic_id": access_topic}
POST = ("POST",)


def _filtered(request: HttpRequest, membership: Membership) -> tuple[Any, dict[str, str]]:
    chosen = {
        key: request.GET.get(key, "").replace("\x00", "").strip()[:100]
        for key in ("status", "category", "department", "q")
    }
    topics = access_topics(membership)
    if chosen["status"] in TopicStatus.values:
        topics = topics.filter(status=chosen["status"])
    elif not chosen["status"]:
        topics = topics.exclude(status=TopicStatus.CLOSED)
    if chosen["category"] in FEEDBACK_CATEGORIES:
        topics = topics.filter(category=chosen["category"])
    department_id = id_from_text(chosen["department"])
    if department_id is not None:
        topics = topics.filter(department_id=department_id)
    if chosen["q"]:
        topics = topics.filter(Q(title__icontains=chosen["q"]))
    return topics, chosen


@workspace_view(Perm.VIEW)
def register_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    topics, chosen = _filtered(request, membership)
    rows = list(topics_with_counts(topics).order_by("-updated_at", "-id")[:200])
    weekly = trends((t.pk for t in rows), zone=membership.workspace.time_zone)
    for topic in rows:
        topic.trend = weekly[topic.pk]  # type: ignore[attr-defined]
        topic.trend_points = sparkline_points(weekly[topic.pk])  # type: ignore[attr-defined]
    return render(
        request,
        "inbox/register/list.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "topics": rows,
            "chosen": chosen,
            "statuses": TopicStatus.choices,
            "categories": FEEDBACK_CATEGORIES,
            "departments": list(access_departments(membership)),
        },
    )


@workspace_view(Perm.VIEW)
def register_export(request: HttpRequest, membership: Membership) -> HttpResponse:
    topics, _chosen = _filtered(request, membership)
    response = HttpResponse(register_csv(topics), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="register-{membership.workspace.slug}.csv"'
    )
    return response


def answer_languages(membership: Membership, topic: Any) -> list[str]:
    """The workspace's language, English, and every language its users wrote in."""
    wanted = [membership.workspace.language or "de", "en"]
    wanted += sorted(
        {lang for lang in topic.items.values_list("language", flat=True) if lang}
        | set(topic.company_answers or {})
    )
    return list(dict.fromkeys(wanted))


@workspace_view(Perm.VIEW, lookups=TOPIC)
def topic_detail(request: HttpRequest, membership: Membership, topic_id: Any) -> HttpResponse:
    topic = topic_id
    items = list(
        FeedbackItem.objects.filter(topic=topic)
        .select_related("message__conversation", "message__contact")
        .order_by("-created_at", "-id")
    )
    drafts = list(
        Reply.objects.filter(feedback_topic=topic)
        .exclude(status__in=(ReplyStatus.SENT, ReplyStatus.REJECTED))
        .select_related("conversation")
        .order_by("id")
    )
    others = access_topics(membership).exclude(pk=topic.pk).exclude(status=TopicStatus.CLOSED)
    weekly = trends([topic.pk], zone=membership.workspace.time_zone)[topic.pk]
    answers = topic.company_answers or {}
    return render(
        request,
        "inbox/register/topic.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "topic": topic,
            "items": items,
            "drafts": drafts,
            "draft_count": sum(1 for d in drafts if d.status == ReplyStatus.DRAFT),
            "other_topics": list(others.order_by("title")[:200]),
            "departments": list(access_departments(membership)),
            "steps": [(s, TopicStatus(s).label) for s in actions.allowed_steps(topic.status)],
            "answer_fields": [
                (lang, answers.get(lang, "")) for lang in answer_languages(membership, topic)
            ],
            "trend": weekly,
            "trend_points": sparkline_points(weekly, width=160, height=32),
            "can_triage": has_perm(membership.role, Perm.TRIAGE_INBOX),
            "can_reply": has_perm(membership.role, Perm.REPLY_INBOX),
        },
    )


def _back(membership: Membership, topic_id: int) -> HttpResponse:
    return redirect("inbox_register_topic", workspace=membership.workspace.slug, topic_id=topic_id)


def _done(request: HttpRequest, call: Any, success: str) -> bool:
    try:
        call()
    except ActionError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


@workspace_view(Perm.TRIAGE_INBOX, methods=POST, lookups=TOPIC)
def topic_rename(request: HttpRequest, membership: Membership, topic_id: Any) -> HttpResponse:
    topic = topic_id
    title = request.POST.get("title", "")
    department_id = request.POST.get("department", "")

    def change() -> None:
        if title.strip() and title.strip() != topic.title:
            actions.do_rename_topic(membership, topic, title)
        if "department" in request.POST:
            chosen_id = id_from_text(department_id)
            department = access_department(membership, chosen_id) if chosen_id else None
            if department != topic.department:
                actions.do_set_department(membership, topic, department)

    _done(request, change, _("Topic saved."))
    return _back(membership, topic.pk)


@workspace_view(Perm.TRIAGE_INBOX, methods=POST, lookups=TOPIC)
def topic_merge(request: HttpRequest, membership: Membership, topic_id: Any) -> HttpResponse:
    topic = topic_id
    into_id = id_from_text(request.POST.get("into", ""))
    if into_id is None:
        messages.error(request, _("Choose another topic to merge with."))
        return _back(membership, topic.pk)
    into = access_topic(membership, into_id)
    if _done(
        request, lambda: actions.do_merge_topics(membership, topic, into), _("Topics merged.")
    ):
        return _back(membership, into.pk)
    return _back(membership, topic.pk)


@workspace_view(Perm.TRIAGE_INBOX, methods=POST, lookups=TOPIC)
def topic_split(request: HttpRequest, membership: Membership, topic_id: Any) -> HttpResponse:
    topic = topic_id
    ids = [i for v in request.POST.getlist("items") if (i := id_from_text(v)) is not None]
    made: list[Any] = []
    if _done(
        request,
        lambda: made.append(
            actions.do_split_topic(membership, topic, ids, request.POST.get("title", ""))
        ),
        _("The chosen items are a topic of their own now."),
    ):
        return _back(membership, made[0].pk)
    return _back(membership, topic.pk)


@workspace_view(Perm.TRIAGE_INBOX, methods=POST, lookups=TOPIC)
def topic_status(request: HttpRequest, membership: Membership, topic_id: Any) -> HttpResponse:
    topic = topic_id
    status = request.POST.get("status", "")
    _done(
        request,
        lambda: actions.do_set_status(membership, topic, status),
        _("Status changed."),
    )
    return _back(membership, topic.pk)


@workspace_view(Perm.REPLY_INBOX, methods=POST, lookups=TOPIC)
def topic_answer(request: HttpRequest, membership: Membership, topic_id: Any) -> HttpResponse:
    topic = topic_id
    answers = {
        key.removeprefix("answer_"): value
        for key, value in request.POST.items()
        if key.startswith("answer_")
    }
    outcome: list[actions.AnswerOutcome] = []
    if _done(
        request,
        lambda: outcome.append(actions.do_record_answer(membership, topic, answers)),
        _("The company's answer is recorded."),
    ):
        messages.info(
            request,
            _("%(count)d answers drafted, one to each user not yet told.")
            % {"count": outcome[0].drafted},
        )
    return _back(membership, topic.pk)


@workspace_view(Perm.REPLY_INBOX, methods=POST, lookups=TOPIC)
def topic_send_drafts(request: HttpRequest, membership: Membership, topic_id: Any) -> HttpResponse:
    topic = topic_id
    outcome = actions.do_send_all_drafts(membership, topic)
    messages.success(
        request,
        _(
            "%(count)d drafts passed on to be sent "
            "(or approved first, where the workspace wants it)."
        )
        % {"count": outcome.queued},
    )
    for problem in outcome.problems:
        messages.error(request, problem)
    return _back(membership, topic.pk)
