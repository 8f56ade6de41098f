"""Every text of the gateway's pages is translated in French, Dutch and German (English
is the source language)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

GATEWAY = Path(__file__).resolve().parents[2] / "services" / "gateway"


@pytest.fixture(scope="module")
def source_texts(tmp_path_factory) -> set[str]:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(GATEWAY / "babel.cfg"),
         "-k", "_l", "-o", str(pot), str(GATEWAY)],
        check=True, capture_output=True,
    )
    with pot.open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_every_page_text_is_translated(source_texts, language):
    with (GATEWAY / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(str(t) for t in source_texts - translated)
    assert not missing, f"{language}: untranslated texts (run `make messages`): {missing}"
