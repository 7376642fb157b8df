"""The PySide6 desktop interface. Every widget lives here; the rules live in trainer/."""
