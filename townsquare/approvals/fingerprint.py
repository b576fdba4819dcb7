"""What a reviewer approves: the post's text, its variants and its media, as one digest.

An approval holds for exactly this content; any change to it is a new version to review.
"""

from __future__ import annotations

import hashlib
import json

from townsquare.content.models import Post


def fingerprint(post: Post) -> str:
    """Read from the database, never from the object at hand, which may be older."""
    post = Post.objects.get(pk=post.pk)
    variants = sorted(
        (v.account_id, v.text, list(v.parts or []), v.content_warning) for v in post.variants.all()
    )
    facts = {
        "text": post.master_text,
        "language": post.language,
        "link": post.link_url,
        "hashtags": list(post.hashtags or []),
        "hashtag_sets": list(post.hashtag_sets or []),
        "content_warning": post.content_warning,
        "variants": variants,
        "media": list(
            post.attachments.order_by("position", "id").values_list("asset_id", flat=True)
        ),
    }
    encoded = json.dumps(facts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8", "surrogatepass")).hexdigest()
