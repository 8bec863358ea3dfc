"""Keep the reports' French catalogue in step with the messages in the code and templates.

    python tools/catalogue.py           # add new messages (untranslated), drop the gone ones
    python tools/catalogue.py --check   # exit 1 if a message is missing, untranslated or fuzzy,
                                        # or a translation's placeholders differ from its msgid

The messages are found as `pybabel extract -F babel.cfg` would find them, with the keywords
below (`t(...)`, `t.n(...)`, the `N_`/`NP_` markers, Jinja's `_()` and `{% trans %}`). Edit
the French in src/advisory/outputs/report/locale/fr/LC_MESSAGES/advisory.po (Poedit, Weblate or
a text editor), then run --check; tests/test_report_i18n.py runs it too.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src/advisory/outputs/report/locale/fr/LC_MESSAGES/advisory.po"
KEYWORDS = {
    "_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
    "t": None, "n": (1, 2), "p": ((1, "c"), 2),  # outputs.report.i18n.Translator
    "n_": (1, 2), "p_": ((1, "c"), 2),  # assessment.narrative.Voice
    "N_": None, "NP_": ((1, "c"), 2),  # markers
}  # fmt: skip
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extract() -> Catalog:
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    template = Catalog(project="advisory", locale=None)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def _strings(m: object) -> list[str]:
    s = getattr(m, "string", None)
    return list(s) if isinstance(s, tuple | list) else [s or ""]


def problems(catalog: Catalog, template: Catalog) -> list[str]:
    """What keeps the French catalogue from covering every message exactly: a message with
    no translation (in every plural form), a fuzzy one, placeholders that differ (a plural
    form may leave out the count), or a translation no message uses any more."""
    out = []
    for m in template:
        if not m.id:
            continue
        ids = list(m.id) if isinstance(m.id, tuple) else [m.id]
        label = f"{m.context + ': ' if m.context else ''}{ids[0]!r}"
        got = catalog.get(ids[0], context=m.context)
        strings = _strings(got) if got is not None else []
        if not strings or not all(strings):
            out.append(f"untranslated: {label}")
            continue
        if got is not None and got.fuzzy:
            out.append(f"fuzzy: {label}")
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for s in strings:
            have = set(PLACEHOLDER.findall(s))
            if not have <= wanted or (wanted - have) - ({"n", "count"} if len(ids) > 1 else set()):
                out.append(f"placeholders differ: {label} -> {s!r}")
    known = {((m.id[0] if isinstance(m.id, tuple) else m.id), m.context) for m in template if m.id}
    for m in catalog:
        key = m.id[0] if isinstance(m.id, tuple) else m.id
        if m.id and (key, m.context) not in known:
            out.append(f"no longer used: {key!r}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="report problems; change nothing")
    args = ap.parse_args()
    template = extract()
    with PO.open("rb") as fh:
        catalog = read_po(fh, locale="fr_FR")
    if args.check:
        found = problems(catalog, template)
        for p in found:
            print(p)
        return 1 if found else 0
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    with PO.open("wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True, no_location=True, width=100)
    print(f"{PO.relative_to(ROOT)}: {len(catalog)} messages; run --check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
