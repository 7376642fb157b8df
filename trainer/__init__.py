"""Trainer: training and skills-contest records for an urban-management enforcement bureau.

This package is the Qt-free core: domain dataclasses, storage, rules and the CLI.
"""

__version__ = "0.1.0"
