"""The font files the user chose in settings, kept in the database and applied to every PDF.

    choice = load(db)                      # FontChoice(font="C:/Windows/Fonts/simsun.ttc", rare="")
    save(db, FontChoice(font=path))        # checked first: FontError (Chinese) and nothing stored
    apply_saved(db)                        # at startup: exports.fonts uses the stored files from now on

Keys in the `settings` table: `pdf.font` (the body font, standing in for 黑体/楷体 the machine lacks) and
`pdf.rare_font` (the 生僻字 fallback). Empty means "find one automatically" (see exports.fonts).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlite_utils import Database

from trainer import settings

if TYPE_CHECKING:
    from exports import fonts

FONT_KEY = "pdf.font"
RARE_KEY = "pdf.rare_font"


@dataclass(frozen=True)
class FontChoice:
    font: str = ""  # '' → automatic
    rare: str = ""  # '' → automatic (simsunb.ttf and the like, when present)


def load(db: Database) -> FontChoice:
    return FontChoice(settings.get(db, FONT_KEY), settings.get(db, RARE_KEY))


def check(choice: FontChoice) -> fonts.FontSet | None:
    """The fonts documents would use with this choice; FontError (for the user) when a chosen file is unusable.

    Nothing chosen is always accepted: a machine without Chinese fonts is told so when it prints.
    """
    if not choice.font and not choice.rare:
        return None
    from exports import fonts

    return fonts.register_fonts(choice.font or None, choice.rare or None)


def apply(choice: FontChoice) -> None:
    from exports import fonts

    fonts.set_font_file(choice.font or None)
    fonts.set_rare_font_file(choice.rare or None)


def save(db: Database, choice: FontChoice) -> None:
    """Store the choice and use it from now on; a chosen file that cannot be embedded stores nothing."""
    check(choice)
    settings.put_many(db, {FONT_KEY: choice.font, RARE_KEY: choice.rare})
    apply(choice)


def apply_saved(db: Database) -> FontChoice:
    """Use the stored choice (called when the window opens a database)."""
    choice = load(db)
    if choice == FontChoice() and "exports.fonts" not in sys.modules:
        return choice  # automatic is what exports.fonts starts with: reportlab (~70 ms) loads with the first document
    apply(choice)
    return choice
