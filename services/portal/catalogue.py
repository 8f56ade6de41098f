"""The portal catalogue: audiences, sectors, qualities and online services, with their
labels in French, Dutch, German and English, read from a data file and validated at start.

A malformed file stops the service with a message naming the file and the entry, so a
bad edit never reaches users as a half-empty page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

LANGUAGES = ("fr", "nl", "de", "en")
DEFAULT_LANGUAGE = "fr"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
DEFAULT_FILE = Path(__file__).with_name("catalogue.yaml")


class CatalogueError(Exception):
    """The catalogue file is unusable; the message names the file and the entry."""


class NotFound(Exception):
    def __init__(self, kind: str, ident: str):
        super().__init__(f"unknown {kind} {ident!r}")
        self.kind = kind
        self.ident = ident


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """One text in every language of the portal, none empty."""

    fr: str = Field(min_length=1)
    nl: str = Field(min_length=1)
    de: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        return getattr(self, language)


class _Entry(_Strict):
    id: str
    label: Text
    description: Text

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError("ids are lowercase letters, digits and dashes (at most 64)")
        return value


class OnlineService(_Entry):
    summary: Text
    login_offered: bool = False


class Quality(_Entry):
    services: list[str] = Field(min_length=1)


class Sector(_Entry):
    qualities: list[Quality] = Field(min_length=1)


class Audience(_Entry):
    sectors: list[str] = []


class _File(_Strict):
    audiences: list[Audience] = Field(min_length=1)
    sectors: list[Sector] = Field(min_length=1)
    services: list[OnlineService] = Field(min_length=1)


@dataclass(frozen=True)
class ServicePlace:
    """Where an online service is listed, for the way back from its page."""

    sector_id: str
    quality_id: str


class Catalogue:
    def __init__(self, data: _File):
        self.audiences = data.audiences
        self._audiences = {a.id: a for a in data.audiences}
        self._sectors = {s.id: s for s in data.sectors}
        self._services = {s.id: s for s in data.services}
        self._audience_of_sector: dict[str, str] = {}
        for audience in data.audiences:
            for sector_id in audience.sectors:
                self._audience_of_sector.setdefault(sector_id, audience.id)
        self._places: dict[str, ServicePlace] = {}
        for sector in data.sectors:
            for quality in sector.qualities:
                for service_id in quality.services:
                    self._places.setdefault(service_id, ServicePlace(sector.id, quality.id))

    def audience(self, audience_id: str) -> Audience:
        return self._lookup(self._audiences, "audience", audience_id)

    def sector(self, sector_id: str) -> Sector:
        return self._lookup(self._sectors, "sector", sector_id)

    def quality(self, sector_id: str, quality_id: str) -> Quality:
        sector = self.sector(sector_id)
        for quality in sector.qualities:
            if quality.id == quality_id:
                return quality
        raise NotFound("quality", quality_id)

    def service(self, service_id: str) -> OnlineService:
        return self._lookup(self._services, "service", service_id)

    def place_of(self, service_id: str) -> ServicePlace:
        return self._places[service_id]

    def audience_of(self, sector_id: str) -> Audience:
        return self._audiences[self._audience_of_sector[sector_id]]

    @staticmethod
    def _lookup(table: dict, kind: str, ident: str):
        try:
            return table[ident]
        except KeyError:
            raise NotFound(kind, ident) from None


def _entry_name(raw: dict, loc: tuple) -> str:
    """'sectors[2] (id 'hopitaux').label.de' from a pydantic error location."""
    parts: list[str] = []
    node = raw
    for step in loc:
        if isinstance(step, int):
            parts[-1] += f"[{step}]"
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and "id" in node:
                parts[-1] += f" (id {node['id']!r})"
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts) or "top level"


def _check_references(data: _File) -> list[str]:
    problems: list[str] = []
    for kind, entries in (("audience", data.audiences), ("sector", data.sectors), ("service", data.services)):
        seen: set[str] = set()
        for entry in entries:
            if entry.id in seen:
                problems.append(f"{kind} id {entry.id!r} is used twice")
            seen.add(entry.id)
    sector_ids = {s.id for s in data.sectors}
    service_ids = {s.id for s in data.services}
    for audience in data.audiences:
        problems += [
            f"audience {audience.id!r} lists unknown sector {sid!r}"
            for sid in audience.sectors
            if sid not in sector_ids
        ]
    in_audience = {sid for a in data.audiences for sid in a.sectors}
    problems += [f"sector {s.id!r} is listed under no audience" for s in data.sectors if s.id not in in_audience]
    listed = set()
    for sector in data.sectors:
        for quality in sector.qualities:
            for sid in quality.services:
                listed.add(sid)
                if sid not in service_ids:
                    problems.append(f"sector {sector.id!r}, quality {quality.id!r} lists unknown service {sid!r}")
    problems += [f"service {sid!r} is listed under no quality" for sid in sorted(service_ids - listed)]
    return problems


def load(path: Path = DEFAULT_FILE) -> Catalogue:
    """Read and validate the catalogue; raise CatalogueError naming file and entry."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"catalogue file {path}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise CatalogueError(f"catalogue file {path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise CatalogueError(f"catalogue file {path}: expected a mapping at the top level")
    try:
        data = _File.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _entry_name(raw, first["loc"])
        raise CatalogueError(f"catalogue file {path}: entry {where}: {first['msg']}") from None
    problems = _check_references(data)
    if problems:
        raise CatalogueError(f"catalogue file {path}: " + "; ".join(problems))
    return Catalogue(data)
