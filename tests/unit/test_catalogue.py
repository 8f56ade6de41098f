"""The catalogue file: the shipped one is complete, a malformed one is refused with a
message naming the file and the entry."""

from __future__ import annotations

import pytest
import yaml

from services.portal import catalogue

SHIPPED = yaml.safe_load(catalogue.DEFAULT_FILE.read_text(encoding="utf-8"))


def write(tmp_path, data) -> object:
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def fresh():
    return yaml.safe_load(catalogue.DEFAULT_FILE.read_text(encoding="utf-8"))


def test_shipped_catalogue_has_the_journey_of_the_training():
    cat = catalogue.load()
    professionals = cat.audience("professionnels")
    assert professionals.label.fr == "Fonctionnaires et autres professionnels"
    assert {"citoyen", "entreprise"} <= {a.id for a in cat.audiences}
    assert professionals.sectors[0] == "cpas"
    assert len(professionals.sectors) >= 6
    assert cat.sector("cpas").label.fr == "CPAS & SPP Intégration sociale"
    social = cat.quality("cpas", "action-sociale")
    assert social.label.fr == "Action sociale"
    assert "primaweb" in social.services and len(social.services) >= 5
    assert cat.service("primaweb").login_offered


def test_every_text_exists_in_the_four_languages():
    cat = catalogue.load()
    entries = [*cat.audiences, *(cat.sector(s) for a in cat.audiences for s in a.sectors)]
    for entry in entries:
        for lang in catalogue.LANGUAGES:
            assert entry.label.get(lang).strip(), (entry.id, lang)


def test_only_primaweb_offers_a_login_here():
    cat = catalogue.load()
    offered = [s["id"] for s in SHIPPED["services"] if cat.service(s["id"]).login_offered]
    assert offered == ["primaweb"]


def test_unknown_ids_raise_not_found():
    cat = catalogue.load()
    with pytest.raises(catalogue.NotFound):
        cat.sector("nowhere")
    with pytest.raises(catalogue.NotFound):
        cat.quality("cpas", "hopital")  # a quality of another sector


def test_missing_translation_names_file_and_entry(tmp_path):
    data = fresh()
    del data["sectors"][2]["label"]["de"]
    path = write(tmp_path, data)
    with pytest.raises(catalogue.CatalogueError) as err:
        catalogue.load(path)
    message = str(err.value)
    assert str(path) in message
    assert "sectors[2] (id 'hopitaux').label.de" in message


def test_unknown_service_reference_is_named(tmp_path):
    data = fresh()
    data["sectors"][0]["qualities"][0]["services"].append("teleportation")
    expected = "quality 'action-sociale' lists unknown service 'teleportation'"
    with pytest.raises(catalogue.CatalogueError, match=expected):
        catalogue.load(write(tmp_path, data))


def test_duplicate_id_is_refused(tmp_path):
    data = fresh()
    data["services"].append(dict(data["services"][0]))
    with pytest.raises(catalogue.CatalogueError, match="service id 'primaweb' is used twice"):
        catalogue.load(write(tmp_path, data))


def test_bad_id_format_is_refused(tmp_path):
    data = fresh()
    data["audiences"][0]["id"] = "Citoyen Belge"
    with pytest.raises(catalogue.CatalogueError, match=r"audiences\[0\] \(id 'Citoyen Belge'\)\.id"):
        catalogue.load(write(tmp_path, data))


def test_unknown_field_is_refused(tmp_path):
    data = fresh()
    data["services"][1]["prix"] = 12
    with pytest.raises(catalogue.CatalogueError, match=r"services\[1\] \(id 'mediprima'\)\.prix"):
        catalogue.load(write(tmp_path, data))


def test_invalid_yaml_and_missing_file_are_reported(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("audiences: [\n", encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError, match="not valid YAML"):
        catalogue.load(broken)
    with pytest.raises(catalogue.CatalogueError, match="cannot be read"):
        catalogue.load(tmp_path / "absent.yaml")
