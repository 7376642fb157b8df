"""The county-level groups reports are made of: 市直单位 (the bureau with its departments), then each county
with its streets. The quarterly report, the coverage chart and the ledger's sheets all use these."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trainer.units import Unit, descendants

CITY_GROUP = "市直单位"


@dataclass(frozen=True)
class UnitGroup:
    label: str
    unit_ids: frozenset[int]


def county_groups(tree: Sequence[Unit]) -> list[UnitGroup]:
    """市直单位 first (when there is a bureau), then every 县级 unit in tree order with all units below it."""
    groups = []
    city = frozenset(u.id for u in tree if u.level in ("市局", "科室"))
    if city:
        groups.append(UnitGroup(CITY_GROUP, city))
    groups += [UnitGroup(u.name, frozenset(descendants(tree, u.id))) for u in tree if u.level == "县级"]
    return groups


def group_of(groups: Iterable[UnitGroup]) -> dict[int, int]:
    """Unit id → index of its group."""
    return {uid: i for i, g in enumerate(groups) for uid in g.unit_ids}
