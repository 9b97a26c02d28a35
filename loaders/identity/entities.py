"""Entities: the registry (registry.tsv) and the record of a name no registry holds.

A document names itself; :func:`resolve` turns that printed name into an entity. The
registry only maps a printed name to its record (fixed ids, e.g. the contract's seeds); a
name it does not hold gets a readable, stable ASCII id (pinyin of its place and name) and
its divisions from the name, so that "上海市普陀区财政局" and "普陀区财政局" in a Shanghai
document are one entity. Never from the file name.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from loaders.identity import names
from loaders.identity.places import Context, Division, context_of, locate, name_of, pinyin, place_stem

REGISTRY_FILE = Path(__file__).with_name("registry.tsv")


@dataclass(frozen=True)
class Entity:
    entity_id: str
    name: str  # full name, one form for every printing of it
    short: str  # for chart labels
    city: str
    province: str
    admin_level: str  # province | city | county | district ("" where the name names no place)
    aliases: tuple[str, ...] = ()
    county: str = ""
    division_code: str = ""  # GB/T 2260, 6 digits


def _registry_rows() -> list[dict]:
    lines = [ln for ln in REGISTRY_FILE.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


REGISTRY: tuple[Entity, ...] = tuple(
    Entity(
        r["id"], r["name"], r["short"], r["city"], r["province"], r["admin_level"],
        tuple(a for a in r["aliases"].split("|") if a), r["county"], r["division_code"],
    )
    for r in _registry_rows()
)


def _without_parents(key: str, entity: Entity) -> str:
    """The key without the entity's province, and its city where the entity sits below one."""
    if entity.province and key.startswith(entity.province) and key != entity.province:
        key = key[len(entity.province):]
    if entity.admin_level in ("district", "county") and entity.city and entity.city != entity.county:
        key = key.removeprefix(entity.city)
    return key


@cache
def _registry_keys() -> tuple[tuple[str, Entity], ...]:
    return tuple(
        (_without_parents(names.name_key(n), e), e) for e in REGISTRY for n in (e.name, *e.aliases)
    )


def match_registry(printed: str) -> Entity | None:
    """The registered entity a printed name names (with or without its province/city)."""
    key = names.name_key(printed)
    for registered, entity in _registry_keys():
        if _without_parents(key, entity) == registered:
            return entity
    return None


def _slug(*parts: str) -> str:
    return "-".join(p for p in (pinyin(x) for x in parts if x) if p) or "entity"


def unknown_entity(printed: str, context: Context | None = None) -> Entity:
    """An entity the registry does not hold, from its printed name and the document's places."""
    context = context or Context()
    party, key = names.split_party(names.abbreviate(names.clean_name(printed)))
    key, place = locate(key, context)
    body = key[place.end:]
    party = party or body.startswith("委")  # 某省委办公厅 is the party committee's office
    # The party committee's organs read with their level: 省委办公厅, 市委办公室.
    body_id = key[place.end - 1] + body if party and body.startswith("委") and place.end else body
    prefix, short_place, id_places = _place_forms(place, context)
    name = ("中共" if party else "") + (prefix + body if place.end else key)
    if not place.end and (code := context.top("province")):
        # No place in the name: it sits in the province its document is from (no level, no code).
        place = Division(province=name_of(code))
    return Entity(
        _slug(*id_places, body_id), name, (short_place + body) if place.end else key,
        place.city, place.province, place.level, (), place.county, place.code,
    )


def _place_forms(place: Division, context: Context) -> tuple[str, str, tuple[str, ...]]:
    """(full prefix, short prefix, id parts): a district keeps its city (武汉市汉阳区), a county
    or a city stands alone (汨罗市, 岳阳市)."""
    if place.level == "district":
        return place.city + place.county, place.county, (place_stem(place.city), place_stem(place.county))
    if place.level == "county":
        return place.county, place.county, (place_stem(place.county),)
    if place.level == "city":
        return place.city, place.city, (place_stem(place.city),)
    if place.level == "province":
        return place.province, place.province, (place_stem(place.province),)
    # The name carries no place: its id takes the document's province, the name stays as printed.
    code = context.top("province")
    return "", "", ((place_stem(name_of(code)),) if code else ())


def resolve(printed: str, context_text: str = "") -> Entity:
    """The entity a printed name names: the registry's record, else one built from the name.

    The document's places (``context_text``) are read only when the registry has no match.
    """
    if entity := match_registry(printed):
        return entity
    context = context_of(context_text) if context_text else Context()
    key, _ = locate(names.name_key(printed), context)
    return match_registry(key) or unknown_entity(printed, context)
