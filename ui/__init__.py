"""The PySide6 desktop interface. Every widget lives here; the rules live in trainer/."""

# trainer first: it imports sqlite-utils without pandas and numpy (see trainer/__init__.py); a page module
# that imported sqlite-utils before trainer would pull in ~0.4 s of pandas at start-up.
import trainer  # noqa: F401
