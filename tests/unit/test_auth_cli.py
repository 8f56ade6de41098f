"""The commune's card tool: its language from the environment, its settings as `make run`'s,
and one plain sentence per outcome (the real tool against the stack: tests/system/test_auth_cli.py)."""

from __future__ import annotations

import pytest

from devtools.stack import PORTS
from services.auth import cli, cli_texts


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "fr"),
    ({"LANG": "C.UTF-8"}, "fr"),
    ({"LANG": "nl_BE.UTF-8"}, "nl"),
    ({"LANG": "fr_BE.UTF-8", "LC_MESSAGES": "de_BE.UTF-8"}, "de"),
    ({"LANG": "nl_BE.UTF-8", "LC_ALL": "fr_BE.UTF-8"}, "fr"),
    ({"LANGUAGE": "nl:fr", "LC_ALL": "fr_BE.UTF-8"}, "nl"),
    ({"LANGUAGE": "sv:de", "LANG": "fr_BE.UTF-8"}, "de"),
    ({"LANGUAGE": "sv", "LANG": "nl_BE.UTF-8"}, "nl"),  # nothing usable in LANGUAGE: the locale decides
    ({"LANG": "sv_SE.UTF-8"}, "fr"),
    ({"LC_ALL": "en_GB.UTF-8"}, "en"),
])
def test_the_language_follows_the_environment_and_is_french_by_default(environ, expected):
    assert cli_texts.language(environ) == expected


def test_every_sentence_exists_in_every_language_with_the_same_blanks():
    import string

    for key, versions in cli_texts.TEXTS.items():
        assert set(versions) == set(cli_texts.LANGUAGES), key
        blanks = {lang: {f for _, f, _, _ in string.Formatter().parse(t) if f} for lang, t in versions.items()}
        assert len({frozenset(b) for b in blanks.values()}) == 1, (key, blanks)


def test_no_sentence_shows_a_code_or_a_field_name():
    for versions in cli_texts.TEXTS.values():
        for sentence in versions.values():
            for code in ("PUK_INCORRECT", "PUK_BLOCKED", "NOT_FOUND", "new_pin", "card_number"):
                assert code not in sentence


def test_the_defaults_are_those_of_make_run(monkeypatch):
    for variable in ("AUTH_ADMIN_PORT", "AUTH_ADMIN_ADDR", "REDIS_PORT", "REDIS_URL", "RUN_DIR"):
        monkeypatch.delenv(variable, raising=False)
    assert cli.admin_target() == f"127.0.0.1:{PORTS['auth-admin'][1]}"
    assert cli.redis_url() == f"redis://127.0.0.1:{PORTS['redis'][1]}/0"
    assert cli.run_dir() == cli.ROOT / "run"
    monkeypatch.setenv("AUTH_ADMIN_PORT", "51061")
    monkeypatch.setenv("REDIS_PORT", "16379")
    assert cli.admin_target() == "127.0.0.1:51061"
    assert cli.redis_url() == "redis://127.0.0.1:16379/0"


def test_a_malformed_card_number_is_said_before_anything_is_called(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("LANGUAGE", "nl")
    monkeypatch.setenv("RUN_DIR", str(tmp_path))
    assert cli.main(["status", "--card", "59201234"]) == 1
    assert capsys.readouterr().err.strip() == (
        "Een kaartnummer bestaat uit 12 cijfers (bijvoorbeeld 592012345656); '59201234' is er geen.")


def test_without_the_run_folder_the_tool_says_where_it_looked(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("LANGUAGE", "fr")
    monkeypatch.setenv("RUN_DIR", str(tmp_path))
    monkeypatch.delenv("TLS_CERT_FILE", raising=False)
    assert cli.main(["unblock", "--card", "592012345656"]) == 1
    assert capsys.readouterr().err.strip() == (
        f"Le certificat de la commune est introuvable dans {tmp_path}/tls : démarrez d'abord le portail "
        "(make run), ou indiquez son dossier avec RUN_DIR.")


def test_the_help_is_in_the_clerks_language(monkeypatch, capsys):
    monkeypatch.setenv("LANGUAGE", "fr")
    with pytest.raises(SystemExit):
        cli.main(["unblock", "--help"])
    assert "débloquer une carte avec son code PUK" in capsys.readouterr().out


def test_a_forgotten_card_number_or_command_is_said_in_the_clerks_language(monkeypatch, capsys):
    monkeypatch.setenv("LANGUAGE", "fr")
    assert cli.main(["unblock"]) == 1
    assert capsys.readouterr().err.strip() == "Indiquez le numéro de la carte, par exemple : --card 592012345656"
    with pytest.raises(SystemExit) as ended:
        cli.main(["debloquer"])
    assert ended.value.code == 2
    assert capsys.readouterr().err.startswith("Commande non comprise (")
