"""PySide6's import hook, made idle for an application that never uses `from __feature__ import …`.

Once PySide6 is loaded, shiboken runs a hook on every import in every thread: it reads the imported module's
source (inspect.getsource) to see whether it mentions PySide6, for the opt-in snake_case/true_property
features. Trainer selects no feature, so every module gets the default selection anyway. Reading sources in
worker threads (numpy, reportlab and pandas load there) has been reported to corrupt memory under load, and
it costs ~25 ms of every start; the hook is told up front that no module uses a feature.
"""

from __future__ import annotations

import sys


def quiet_feature_hook() -> bool:
    """Stop shiboken reading the source of every imported module; False when PySide6 has no such hook."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    setattr(feature, "_mod_uses_pyside", _uses_no_feature)  # noqa: B010 - a private hook, looked up as a global
    return True


def _uses_no_feature(module: object) -> bool:
    return False
