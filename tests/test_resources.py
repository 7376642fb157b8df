"""Shipped data files are found however Trainer is installed: from the source tree, as a wheel, or bundled."""

from __future__ import annotations

from trainer.resources import data_dir, installed_data_dir


def test_the_source_tree_finds_its_data_folder() -> None:
    assert (data_dir() / "units.csv").exists()
    assert (data_dir() / "rules_default.json").exists()
    assert (data_dir() / "holidays_cn.csv").exists()


def test_an_installed_copy_finds_the_data_as_the_trainer_data_package() -> None:
    # `pip install .` ships data/ as the package trainer_data (a regular package, so its folder is real)
    folder = installed_data_dir()
    assert folder is not None
    for name in ("units.csv", "rules_default.json", "demo_streets.csv", "holidays_cn.csv"):
        assert (folder / name).is_file(), name
