"""The entity registry: departments we know, matched from the document's own text.

An entity is recognised by the names it prints (full name and its variants). An unknown
entity still gets a stable slug derived from its printed name, never from the file name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Entity:
    entity_id: str
    name: str  # full name as the department calls itself
    short: str  # for chart labels
    city: str
    province: str
    admin_level: str  # province | city | county | district
    patterns: tuple[str, ...]  # regexes over whitespace-free clean text


REGISTRY: tuple[Entity, ...] = (
    Entity("hanyang", "武汉市汉阳区住房保障和房屋管理局", "汉阳区", "武汉市", "湖北省", "district",
           (r"汉阳区住房保障和房屋管理局",)),
    Entity("urumqi", "乌鲁木齐市住房保障和房产管理局", "乌鲁木齐市", "乌鲁木齐市", "新疆维吾尔自治区", "city",
           (r"乌鲁木齐市住房保障和房产管理局",)),
    Entity("yueyang", "岳阳市住房保障服务中心", "岳阳市", "岳阳市", "湖南省", "city",
           (r"岳阳市住房保障服务中心",)),
    Entity("handan", "邯郸市住房保障和房产管理局", "邯郸市", "邯郸市", "河北省", "city",
           (r"邯郸市住房保障和房产管理局",)),
    Entity("miluo", "汨罗市住房和城乡建设局", "汨罗市", "汨罗市", "湖南省", "county",
           (r"汨罗市住房和城乡建设局", r"汨罗市住建")),
)

# Department / unit names as printed: "<place>…局|委员会|中心|办公室…".
_ORG = re.compile(
    r"([\u4e00-\u9fffA-Za-z（）()]{2,30}?(?:局|委员会|委|中心|办公室|厅|院|所|馆|站|处|队|部|会|署|社))"
)


def match_registry(text: str) -> Entity | None:
    """The registered entity whose name appears earliest in ``text`` (whitespace-free)."""
    best: tuple[int, Entity] | None = None
    for entity in REGISTRY:
        for pattern in entity.patterns:
            m = re.search(pattern, text)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), entity)
    return best[1] if best else None


def slug_for(name: str) -> str:
    """A stable ASCII slug for an entity that is not in the registry."""
    return "org-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def unknown_entity(name: str) -> Entity:
    city = re.match(r"^(.{2,6}?(?:市|州|盟|地区))", name)
    district = re.match(r"^.{2,6}?(?:市|州)(.{1,6}?(?:区|县))", name)
    return Entity(
        slug_for(name), name, (district.group(1) if district else (city.group(1) if city else name[:6])),
        city.group(1) if city else "", "", "district" if district else ("city" if city else ""), (),
    )
