"""Names that trust nothing: safe HTML ids and file names from location ids.

Gazetteer ids are already slugs, but a library caller can build a gazetteer by hand, so a name
is the id only when the id is a plain slug; anything else becomes a slug of it plus a hash of
the original. File names are unique ignoring case (for case-insensitive file systems) and
never `index`. (The pages are written by `advisory.files.write_atomic`.)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

PLAIN_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NOT_SLUG = re.compile(r"[^a-z0-9]+")
# File systems limit a name to 255 bytes; ids are cut well before, and the hash keeps them apart
MAX_STEM = 80
HASH_CHARS = 10
INDEX_NAME = "index"
# Names Windows refuses whatever the extension (the pages may be copied to a laptop there)
RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}


def stem(an_id: str) -> str:
    """A slug safe in a file name, an HTML id and a URL fragment."""
    if PLAIN_SLUG.match(an_id) and len(an_id) <= MAX_STEM and an_id not in RESERVED:
        return an_id
    slug = NOT_SLUG.sub("-", an_id.lower()).strip("-")[: MAX_STEM - HASH_CHARS - 1].strip("-")
    digest = hashlib.sha256(an_id.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_CHARS]
    return f"{slug or 'place'}-{digest}"


def page_names(ids: Iterable[str]) -> dict[str, str]:
    """`{location id: file name}`, safe inside one folder and collision-free (see above)."""
    used = {INDEX_NAME}
    out: dict[str, str] = {}
    for loc_id in ids:
        base = stem(loc_id)
        name, n = base, 1
        while name.lower() in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name.lower())
        out[loc_id] = f"{name}.html"
    return out
