"""The diff between two versions of a plan, in words (a pure module)."""

from townsquare.planning.diff import diff_plans

NAMES = {
    "linkedin_page": ("LinkedIn (page)", "LinkedIn (Seite)"),
    "mastodon": ("Mastodon", "Mastodon"),
}


def _plan(**changes):
    plan = {
        "summary": "Mehr Reichweite",
        "time_zone": "",
        "campaign": None,
        "tone": {"address": "du", "emoji_policy": "few", "max_emoji": 2, "avoid_words": ["billig"]},
        "networks": [
            {
                "network": "linkedin_page",
                "posts_per_week": 2,
                "preferred_days": [1, 2],
                "address": "sie",
            }
        ],
        "goals": [
            {"id": 7, "metric": "reach", "network": "", "target": "5000", "due_on": "2027-06-30"}
        ],
        "pillars": [{"id": 1, "name": "Röstkunst", "target_share": 40}],
        "audiences": [],
        "campaigns": [],
    }
    plan.update(changes)
    return plan


def test_identical_versions_have_no_changes():
    assert diff_plans(_plan(), _plan(), NAMES) == []


def test_a_network_cadence_change_reads_as_a_sentence_in_both_languages():
    new = _plan(
        networks=[
            {
                "network": "linkedin_page",
                "posts_per_week": 3,
                "preferred_days": [1, 2, 3],
                "address": "sie",
            }
        ]
    )
    lines = diff_plans(_plan(), new, NAMES)
    assert [line.message_en for line in lines] == [
        "LinkedIn (page): publications per week 2 → 3",
        "LinkedIn (page): preferred days Tue, Wed → Tue, Wed, Thu",
    ]
    assert lines[0].message("de") == "LinkedIn (Seite): Veröffentlichungen pro Woche 2 → 3"
    assert lines[1].message_de == "LinkedIn (Seite): bevorzugte Tage Di, Mi → Di, Mi, Do"


def test_networks_goals_pillars_added_and_removed():
    new = _plan(
        networks=[{"network": "mastodon", "posts_per_week": 5}],
        goals=[],
        pillars=[
            {"id": 1, "name": "Röstkunst", "target_share": 50},
            {"id": 2, "name": "Rezepte", "target_share": 20},
        ],
    )
    messages = [line.message_en for line in diff_plans(_plan(), new, NAMES)]
    assert "Mastodon added to the plan (5 publications per week)" in messages
    assert "LinkedIn (page) removed from the plan" in messages
    assert "Goal removed: reach 5000 by 2027-06-30" in messages
    assert "Pillar Röstkunst: target share 40 % → 50 %" in messages
    assert "Pillar added: Rezepte (20 %)" in messages


def test_tone_choices_and_word_lists_are_named():
    new = _plan(
        tone={"address": "sie", "emoji_policy": "few", "max_emoji": 2, "avoid_words": ["günstig"]}
    )
    lines = diff_plans(_plan(), new, NAMES)
    assert [line.message_en for line in lines] == [
        "Tone: form of address informal (du) → formal (Sie)",
        "Tone: words to avoid: added “günstig”; removed “billig”",
    ]
    assert lines[0].message_de == "Tonalität: Anrede du → Sie"


def test_a_first_version_lists_what_it_holds():
    messages = [line.message_en for line in diff_plans(None, _plan(), NAMES)]
    assert "Summary changed" in messages
    assert "LinkedIn (page) added to the plan (2 publications per week)" in messages
    assert "Goal added: reach 5000 by 2027-06-30" in messages
