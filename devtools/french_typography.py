"""French typography in the gateway's French catalogue: a no-break space before : ; ? !
(`make messages` runs this after merging new texts; tests/unit/test_wording.py checks it).

A translator types "Rôle : %(role)s" with an ordinary space; a browser may then break the
line before the colon and leave ": 2." alone. Rewritten in place, nothing else changed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).resolve().parent.parent / "services/gateway/translations/fr/LC_MESSAGES/messages.po"
_BEFORE_MARK = re.compile(r"[ \u00a0\u202f]?([:;?!])(?=\s|$)")


def french_spaces(text: str) -> str:
    return _BEFORE_MARK.sub("\u00a0\\1", text)


def main(path: Path = CATALOGUE) -> int:
    with path.open("rb") as f:
        catalogue = read_po(f)
    changed = 0
    for message in catalogue:
        if message.id and isinstance(message.string, str) and message.string:
            fixed = french_spaces(message.string)
            changed += fixed != message.string
            message.string = fixed
    if changed:
        with path.open("wb") as f:
            write_po(f, catalogue, width=100, no_location=True)
        print(f"French typography: {changed} message(s) given a no-break space before : ; ? !")
    return 0


if __name__ == "__main__":
    sys.exit(main(*(Path(a) for a in sys.argv[1:])))
