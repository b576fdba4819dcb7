"""Pictures a network refuses: which copy to offer, and what a conversion did, in words."""

from townsquare.media.fitting import combined, describe_steps, image_limits, offer_for
from townsquare.media.limits import MediaLimits
from townsquare.networks.rules.loader import rules_for

JPEG, PNG = "image/jpeg", "image/png"


def limits_of(network):
    return image_limits(rules_for(network))


def test_instagram_is_offered_a_jpeg_copy_of_a_png():
    offer = offer_for(PNG, 40_000, limits_of("instagram"))
    assert offer is not None
    assert offer.target_mime == JPEG and offer.changes_format and not offer.shrinks
    assert offer.label("en") == "Convert to JPEG for Instagram"
    assert offer.label("de") == "In JPEG für Instagram umwandeln"


def test_a_picture_the_network_takes_as_it_is_needs_no_copy():
    assert offer_for(JPEG, 1_000_000, limits_of("instagram")) is None
    assert offer_for(PNG, 1_000_000, limits_of("bluesky")) is None


def test_bluesky_is_offered_a_smaller_copy_of_a_picture_over_its_byte_limit():
    offer = offer_for(PNG, 3_000_000, limits_of("bluesky"))
    assert offer is not None and offer.shrinks and not offer.changes_format
    assert offer.label("en") == "Make a smaller copy for Bluesky"
    assert offer.label("de") == "Kleinere Kopie für Bluesky erstellen"


def test_a_network_that_takes_no_pictures_is_offered_nothing():
    assert limits_of("youtube") is None
    assert offer_for(PNG, 40_000, None) is None


def test_the_format_is_named_only_when_transparency_would_not_change_it():
    # TikTok takes JPEG and WebP: an opaque PNG becomes JPEG, a transparent one WebP.
    offer = offer_for(PNG, 40_000, limits_of("tiktok"))
    assert offer is not None and offer.target_mime is None
    assert offer.label("en") == "Convert to a format TikTok takes"


def test_the_copy_suits_the_other_networks_of_the_post_as_well():
    instagram, bluesky = limits_of("instagram"), limits_of("bluesky")
    both = combined(instagram, [bluesky, limits_of("youtube")])
    assert both.allowed_mime_types == frozenset({JPEG})
    assert both.max_bytes == min(instagram.max_bytes, bluesky.max_bytes)
    assert both.network == "Instagram"


def test_networks_that_share_no_format_keep_the_asking_networks_own():
    asking = MediaLimits(frozenset({JPEG}), network="A")
    assert combined(asking, [MediaLimits(frozenset({PNG}))]).allowed_mime_types == {JPEG}


def test_what_a_conversion_did_is_told_in_english_and_german_without_internal_words():
    steps = (
        "format image/png -> image/jpeg",
        "transparency -> white background",
        "long edge 4000 -> 2048",
        "quality 75",
        "something new",
    )
    assert describe_steps(steps, "en") == [
        "PNG became JPEG",
        "transparent areas are white now",
        "scaled from 4000 to 2048 pixels on the long side",
        "saved at quality 75 to fit the size limit",
    ]
    assert describe_steps(steps, "de")[0] == "PNG wurde zu JPEG"
    assert describe_steps(steps, "de")[1] == "durchsichtige Flächen sind jetzt weiß"
