"""How a competitor (or team) is named on an item: the one place that decides whether a blind (密封) item hides
who is who. Every label of an entrant on an item goes through here, so no list, message, dialog, change log or
command line shows a draw number or a name next to a sealed code before the chief judge locks the item.

    seal = blind.Sealing.load(db, items)        # one query: the codes of the items sealed now
    seal.label(item, comp)    # '密封编号B267' while sealed; else '5号' / '3号队'           (in a sentence)
    seal.number(item, comp)   # '密封编号B267' while sealed; else '5' / '3'                 (in a 抽签号 column)
    seal.name(item, comp)     # '（密封）' while sealed; else the name
    seal.who(item, comp)      # '密封编号B267' while sealed; else '5号 顾娜'

An item is sealed while it is blind and not locked (`is_sealed`; SQL: `SEALED_SQL`). Once locked, codes, draw
numbers and names may stand side by side: that is when the sealed mapping is opened. A competitor with no code
on a sealed item (added after the draw) has nothing to give away: the draw number stands, never the name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlite_utils import Database

from trainer.contest import Item
from trainer.contest_people import Competitor

SEALED_NAME = "（密封）"  # a name column of a sealed item
CODE_LABEL = "密封编号"
# An item row (alias i) is sealed: blind and not locked. Services that join contest_items use this, so the rule
# is written once.
SEALED_SQL = "(i.blind = 1 AND i.locked_at IS NULL)"


def is_sealed(item: Item) -> bool:
    return item.blind and not item.locked


def code_text(code: str) -> str:
    """'密封编号B267'."""
    return f"{CODE_LABEL}{code}"


@dataclass(frozen=True)
class Sealing:
    """The codes of the items sealed now: item id → competitor id → code (an entry for every sealed item)."""
    codes: Mapping[int, Mapping[int, str]]

    @classmethod
    def load(cls, db: Database, items: Iterable[Item]) -> Sealing:
        sealed = [it.id for it in items if is_sealed(it)]
        codes: dict[int, dict[int, str]] = {item_id: {} for item_id in sealed}
        if sealed:
            rows = db.execute(f"SELECT item_id, competitor_id, code FROM contest_codes"
                              f" WHERE item_id IN ({', '.join('?' * len(sealed))})", sealed)
            for item_id, competitor_id, code in rows:
                codes[item_id][competitor_id] = code
        return cls(codes)

    def sealed(self, item: Item) -> bool:
        return item.id in self.codes

    def _code(self, item: Item, comp: Competitor) -> str | None:
        """The code to show instead of the number, None when the item is not sealed (or has no code for comp)."""
        if item.id not in self.codes:
            return None
        return self.codes[item.id].get(comp.id)

    def label(self, item: Item, comp: Competitor) -> str:
        code = self._code(item, comp)
        return code_text(code) if code is not None else comp.label

    def number(self, item: Item, comp: Competitor) -> str:
        code = self._code(item, comp)
        return code_text(code) if code is not None else str(comp.number or "")

    def name(self, item: Item, comp: Competitor) -> str:
        return SEALED_NAME if self.sealed(item) else comp.name

    def who(self, item: Item, comp: Competitor) -> str:
        return self.label(item, comp) if self.sealed(item) else f"{comp.label} {comp.name}"
