"""The queues' API: slots, add to queue, series and occurrences, evergreen."""

import json

import pytest

from townsquare.api.actions import do_create_api_token
from townsquare.publishing.models import Publication
from townsquare.queues.models import Evergreen, SeriesOccurrence, Slot
from townsquare.queues.tests.conftest import tomorrow_at

pytestmark = pytest.mark.django_db

TEXT = "Montagsfrage: Was ist euer Lieblingskaffee?"


def api(client, method, path, body=None, **headers):
    return client.generic(
        method, f"/api/v1{path}", json.dumps(body or {}), content_type="application/json", **headers
    )


def _slots(client, workspace, account):
    for day in range(7):
        response = api(
            client,
            "POST",
            f"/workspaces/{workspace.slug}/accounts/{account.pk}/slots",
            {"weekday": day, "time": "09:00"},
        )
        assert response.status_code == 201, response.content


def test_slots_crud_and_bad_input(alice_client, workspace_a, masto):
    base = f"/workspaces/{workspace_a.slug}/accounts/{masto.pk}/slots"
    created = api(alice_client, "POST", base, {"weekday": 2, "time": "10:30"})
    assert created.status_code == 201
    assert created.json() | {"id": 0} == {
        "id": 0,
        "account_id": masto.pk,
        "weekday": 2,
        "time": "10:30",
    }
    again = api(alice_client, "POST", base, {"weekday": 2, "time": "10:30"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "slot_exists"
    for bad in ({"weekday": 7, "time": "10:30"}, {"weekday": 1, "time": "25:00"}, {}):
        assert api(alice_client, "POST", base, bad).status_code == 422
    assert [s["time"] for s in api(alice_client, "GET", base).json()] == ["10:30"]
    slot_id = created.json()["id"]
    deleted = api(alice_client, "DELETE", f"/workspaces/{workspace_a.slug}/slots/{slot_id}")
    assert deleted.status_code == 204 and not Slot.objects.exists()


def test_add_to_queue_and_the_duplicate_confirmation(
    client, alice, alice_client, workspace_a, masto, make_post
):
    _slots(alice_client, workspace_a, masto)
    first, second = make_post(TEXT), make_post(TEXT)
    _token, raw = do_create_api_token(alice, name="ci", workspace_slugs=[workspace_a.slug])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    url = f"/workspaces/{workspace_a.slug}/posts/{{}}/queue"
    queued = api(client, "POST", url.format(first.pk), **auth)
    assert queued.status_code == 200, queued.content
    assert queued.json()["local_due"].endswith("T09:00")
    refused = api(client, "POST", url.format(second.pk), **auth)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "near_duplicate" and error["details"][0]["post_id"] == first.pk
    assert not Publication.objects.filter(post=second).exists()
    confirmed = api(client, "POST", url.format(second.pk), {"confirm_duplicate": True}, **auth)
    assert confirmed.status_code == 200
    assert confirmed.json()["local_due"] != queued.json()["local_due"]


def test_add_to_queue_without_slots_says_how(alice_client, workspace_a, make_post):
    post = make_post()
    response = api(alice_client, "POST", f"/workspaces/{workspace_a.slug}/posts/{post.pk}/queue")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "no_slots"


def test_series_create_list_and_edit(alice_client, workspace_a, make_post):
    post = make_post(TEXT)
    first = tomorrow_at(workspace_a, 9)
    response = api(
        alice_client,
        "POST",
        f"/workspaces/{workspace_a.slug}/posts/{post.pk}/series",
        {
            "first": first.strftime("%Y-%m-%dT%H:%M"),
            "repeat": {"frequency": "WEEKLY", "count": 3},
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["rrule"] == "FREQ=WEEKLY;COUNT=3" and len(data["occurrences"]) == 3
    listed = api(alice_client, "GET", f"/workspaces/{workspace_a.slug}/series/{data['id']}")
    assert listed.json()["occurrences"][1]["statuses"] == ["scheduled"]
    second = data["occurrences"][1]["id"]
    edited = api(
        alice_client,
        "PATCH",
        f"/workspaces/{workspace_a.slug}/occurrences/{second}",
        {"skip": True, "following": True},
    )
    assert edited.status_code == 200
    assert [o["statuses"] for o in edited.json()] == [["cancelled"], ["cancelled"]]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"rrule": "FREQ=WEEKLY"}, 422),
        ({"rrule": "FREQ=DAILY;COUNT=999"}, 422),
        ({"rrule": "nonsense"}, 422),
        ({"repeat": {"frequency": "WEEKLY"}}, 422),
        ({"repeat": {"frequency": "HOURLY", "count": 2}}, 422),
        ({"repeat": {"frequency": "WEEKLY", "until": "2027-02-30"}}, 422),
        ({}, 422),
    ],
)
def test_series_refusals_are_clear_and_save_nothing(
    alice_client, workspace_a, make_post, body, status
):
    post = make_post()
    first = tomorrow_at(workspace_a, 9).strftime("%Y-%m-%dT%H:%M")
    response = api(
        alice_client,
        "POST",
        f"/workspaces/{workspace_a.slug}/posts/{post.pk}/series",
        {"first": first, **body},
    )
    assert response.status_code == status, response.content
    assert response.json()["error"]["message"]
    assert not SeriesOccurrence.objects.exists() and not Publication.objects.exists()


def test_evergreen_settings(alice_client, workspace_a, make_post):
    post = make_post()
    url = f"/workspaces/{workspace_a.slug}/posts/{post.pk}/evergreen"
    assert api(alice_client, "GET", url).json()["state"] == "off"
    response = api(alice_client, "PUT", url, {"min_gap_days": 14, "max_reposts": 2})
    assert response.status_code == 200
    assert response.json()["state"] == "active" and response.json()["min_gap_days"] == 14
    assert api(alice_client, "PUT", url, {"min_gap_days": 0}).status_code == 422
    stopped = api(alice_client, "PUT", url, {"enabled": False})
    assert stopped.json()["enabled"] is False
    assert Evergreen.objects.get().state == "stopped"


def test_the_schedule_api_warns_of_a_near_duplicate_too(alice_client, workspace_a, make_post):
    first, second = make_post(TEXT), make_post(TEXT)
    at = tomorrow_at(workspace_a, 9).strftime("%Y-%m-%dT%H:%M")
    url = f"/workspaces/{workspace_a.slug}/posts/{{}}/schedule"
    assert api(alice_client, "POST", url.format(first.pk), {"at": at}).status_code == 200
    refused = api(alice_client, "POST", url.format(second.pk), {"at": at})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "near_duplicate"
    assert str(first.pk) in refused.json()["error"]["message"]
    confirmed = api(
        alice_client, "POST", url.format(second.pk), {"at": at, "confirm_duplicate": True}
    )
    assert confirmed.status_code == 200
