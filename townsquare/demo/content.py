"""Demo writing aids and drafts: what a newcomer sees in Compose and Drafts."""

from __future__ import annotations

from townsquare.content.actions import PostInput, do_save_post
from townsquare.content.models import (
    Contact,
    HashtagSet,
    Post,
    PostTemplate,
    Snippet,
)
from townsquare.demo.planning import seed_tone
from townsquare.media.models import MediaAsset
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership, Workspace

STYLE = {
    "Morgenrot Kaffeerösterei": {
        "address": "du",
        "emoji_policy": "few",
        "max_emoji": 2,
        "hashtag_policy": "move_to_end",
        "max_hashtags": {"instagram": 5, "linkedin_page": 3},
        "banned_words": ["billig", "Schnäppchen"],
    },
    "Northwind Outdoor": {
        "address": "any",
        "emoji_policy": "few",
        "max_emoji": 3,
        "hashtag_policy": "keep_inline",
        "max_hashtags": {"x": 2},
        "banned_words": ["cheap", "guaranteed"],
    },
}

CONTACTS = {
    "Morgenrot Kaffeerösterei": [
        (
            "Stadtwerke Leipzig",
            {"bluesky": "@stadtwerke-leipzig.bsky.social", "mastodon": "@swl@leipzig.social"},
        ),
        ("Kaffeekollektiv Huehuetenango", {"instagram": "@kaffeekollektiv_hue"}),
    ],
    "Northwind Outdoor": [
        (
            "Peak District National Park",
            {"x": "@peakdistrict", "bluesky": "@peakdistrict.bsky.social"},
        ),
        ("Mountain Rescue England and Wales", {"x": "@MountainRescEW"}),
    ],
}

AIDS = {
    "Morgenrot Kaffeerösterei": {
        "hashtag_sets": [
            ("Rösterei", ["#Kaffee", "#Leipzig", "#Röstkaffee"]),
            ("Nachhaltig", ["#FairTrade", "#Direkthandel"]),
        ],
        "snippets": [
            ("Gruß", "Dein Morgenrot-Team ☕"),
            ("Öffnungszeiten", "Mo–Sa 8–18 Uhr, Karl-Liebknecht-Str. 12"),
        ],
        "templates": [
            (
                "Neue Röstung",
                "Neu im Regal: {Sorte} aus {Herkunft}. Geschmack: {Noten}. "
                "Jetzt in allen Filialen.",
                ["#Kaffee", "#NeueRöstung"],
                "de",
            )
        ],
    },
    "Northwind Outdoor": {
        "hashtag_sets": [
            ("Trails", ["#hiking", "#PeakDistrict"]),
            ("Kit", ["#outdoorgear", "#camping"]),
        ],
        "snippets": [
            ("Safety", "Check the forecast and tell someone your route before you set off.")
        ],
        "templates": [
            (
                "Trail of the week",
                "Trail of the week: {route} ({distance} km, {ascent} m up). Best for {season}.",
                ["#hiking"],
                "en",
            )
        ],
    },
}

POSTS = {
    "Morgenrot Kaffeerösterei": [
        (
            "Neue Röstung im Regal: Äthiopien Yirgacheffe, hell geröstet, mit Noten von Jasmin, "
            "Bergamotte und reifer Aprikose. Wir haben die Bohnen direkt beim "
            "@[Kaffeekollektiv Huehuetenango] eingekauft und drei Wochen lang Röstprofile "
            "getestet, bis der Kaffee genau so schmeckte, wie wir ihn uns vorgestellt hatten. "
            "Probier ihn diese Woche in allen Filialen! Alles zur Herkunft: "
            "https://morgenrot.example/yirgacheffe",
            ["#Kaffee", "#Leipzig", "#Specialty"],
            "https://morgenrot.example/yirgacheffe",
        ),
        (
            "Danke an @[Stadtwerke Leipzig]: Seit heute gibt es vor unserer Rösterei zwei "
            "Ladesäulen für E-Bikes. Lade auf, trink einen Espresso, fahr weiter. ⚡☕",
            ["#Leipzig", "#Nachhaltigkeit"],
            "",
        ),
        # Hashtags "move to the end" here: #Espresso is a word of the sentence and stays,
        # the line of hashtags stands apart and moves; each is explained in the preview.
        (
            "Unser #Espresso des Monats kommt vom @[Kaffeekollektiv Huehuetenango]: "
            "schokoladig, mit einem Hauch Orange.\n#Kaffee #Leipzig\nAb Samstag in allen "
            "Filialen, solange der Vorrat reicht.",
            ["#Röstkaffee"],
            "",
        ),
        # Started from the template "Neue Röstung", one placeholder not filled in yet.
        (
            "Neu im Regal: {Sorte} aus Kolumbien. Geschmack: Karamell und rote Beeren. "
            "Jetzt in allen Filialen.",
            ["#Kaffee", "#NeueRöstung"],
            "",
        ),
    ],
    "Northwind Outdoor": [
        (
            "Autumn is here and the trails around Edale are at their best. Our guide to five "
            "circular walks in the Peak District covers distances, climbs, where to park and "
            "where to get a proper cup of tea afterwards. Thanks to @[Peak District National "
            "Park] rangers for checking every route with us. Read it before your next weekend "
            "out: https://northwind.example/autumn-walks",
            ["#hiking", "#PeakDistrict"],
            "https://northwind.example/autumn-walks",
        ),
        # Started from the template "Trail of the week", one placeholder not filled in yet.
        (
            "Trail of the week: Mam Tor and the Great Ridge (11 km, 450 m up). Best for {season}.",
            ["#hiking"],
            "",
        ),
    ],
}


def seed_content(workspaces: list[Workspace]) -> None:
    for workspace in workspaces:
        seed_tone(workspace, STYLE.get(workspace.name, {}))
        for name, handles in CONTACTS.get(workspace.name, []):
            Contact.objects.get_or_create(
                workspace=workspace, name=name, defaults={"handles": handles}
            )
        aids = AIDS.get(workspace.name, {})
        for name, tags in aids.get("hashtag_sets", []):
            HashtagSet.objects.get_or_create(
                workspace=workspace, name=name, defaults={"hashtags": tags}
            )
        for name, text in aids.get("snippets", []):
            Snippet.objects.get_or_create(workspace=workspace, name=name, defaults={"text": text})
        for name, text, tags, language in aids.get("templates", []):
            PostTemplate.objects.get_or_create(
                workspace=workspace,
                name=name,
                defaults={"text": text, "hashtags": tags, "language": language},
            )
        if Post.objects.filter(workspace=workspace).exists():
            continue
        owner = (
            Membership.objects.filter(workspace=workspace, role="owner")
            .select_related("user")
            .first()
        )
        account_ids = list(
            SocialAccount.objects.filter(workspace=workspace).values_list("pk", flat=True)
        )
        if owner is None or not account_ids:
            continue
        images = list(
            MediaAsset.objects.filter(workspace=workspace, kind="image")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for index, (text, hashtags, link) in enumerate(POSTS.get(workspace.name, [])):
            do_save_post(
                owner,
                PostInput(
                    text=text,
                    language=workspace.language,
                    link_url=link,
                    hashtags=tuple(hashtags),
                    media_ids=tuple(images[index : index + 1]),
                ),
                account_ids,
            )
