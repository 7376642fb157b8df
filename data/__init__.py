"""Shipped data (installed as the package `trainer_data`): units, rules, demo inputs. No code."""
