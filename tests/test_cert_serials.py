"""As HR I want serial numbers a reader can trust: {prefix}{year}{type}{sequence}{check}, one sequence per
year and type, and a number once given never given again — not even after the certificate is revoked."""

from __future__ import annotations

import datetime as dt

import pytest
from cert_support import finished_class
from sqlite_utils import Database

from trainer import cert_issue, cert_register, cert_serials, cert_settings, settings
from trainer.cert_serials import SerialError
from trainer.idnumber import mod11_2


def _issue(db: Database, count: int, day: dt.date, tag: str = "") -> list[str]:
    c, _ = finished_class(db, [f"学员{tag}{i}" for i in range(count)], title=f"轮训{tag}{day.isoformat()}")
    return [x.serial for x in cert_issue.issue_for_class(db, int(c.id or 0), issue_date=day)]


def test_the_twelfth_completion_certificate_of_2021_is_PDS2021JY000122(db: Database) -> None:
    serials = _issue(db, 12, dt.date(2021, 6, 6))
    assert serials[0] == "PDS2021JY00001" + mod11_2("202100001")
    assert serials[-1] == "PDS2021JY000122"
    assert mod11_2("202100012") == "2"
    assert cert_serials.format_serial("PDS", 2021, "JY", 12) == "PDS2021JY000122"
    parsed = cert_serials.parse(" pds2021jy000122 ")  # typed in lower case with spaces
    assert (parsed.prefix, parsed.year, parsed.kind, parsed.sequence) == ("PDS", 2021, "JY", 12)


def test_the_check_character_catches_a_mistyped_serial() -> None:
    with pytest.raises(SerialError, match="校验位"):
        cert_serials.parse("PDS2021JY000123")
    with pytest.raises(SerialError, match="校验位"):
        cert_serials.parse("PDS2021JY000212")  # two digits swapped
    with pytest.raises(SerialError, match="不是证书编号"):
        cert_serials.parse("PDS2021XX000122")
    # the check can be X, as in ID numbers
    x = next(s for s in range(1, 2000) if cert_serials.check_char(2026, s) == "X")
    assert cert_serials.parse(cert_serials.format_serial("PDS", 2026, "JY", x)).sequence == x


def test_each_year_and_each_type_count_from_one(db: Database) -> None:
    first = _issue(db, 3, dt.date(2025, 12, 30), "甲")
    second = _issue(db, 2, dt.date(2026, 1, 2), "乙")
    assert [s[:14] for s in first] == ["PDS2025JY00001", "PDS2025JY00002", "PDS2025JY00003"]
    assert [s[:14] for s in second] == ["PDS2026JY00001", "PDS2026JY00002"]
    _, members = finished_class(db, ["获奖者"], title="比武")
    award = cert_issue.issue_awards(db, [cert_issue.AwardGrant(int(members["获奖者"].id or 0), "首届执法技能比武",
                                                               "个人一等奖")], issue_date=dt.date(2026, 11, 20))
    assert award[0].serial[:14] == "PDS2026HJ00001"  # awards have their own sequence
    more = _issue(db, 1, dt.date(2026, 5, 1), "丙")
    assert more[0][:14] == "PDS2026JY00003"


def test_a_revoked_number_is_never_given_again(db: Database) -> None:
    serials = _issue(db, 3, dt.date(2026, 3, 6), "甲")
    cert_register.revoke(db, serials[-1], "误发")
    new = cert_register.reissue(db, serials[0], "原证遗失", issue_date=dt.date(2026, 4, 1))
    assert cert_serials.parse(new.serial).sequence == 4  # 1–3 stay taken, the revoked 3 included
    later = _issue(db, 1, dt.date(2026, 5, 1), "乙")
    assert cert_serials.parse(later[0]).sequence == 5
    all_serials = [c.serial for c in cert_register.search(db)]
    assert len(all_serials) == len(set(all_serials)) == 5


def test_a_lost_counter_does_not_hand_out_a_number_in_use(db: Database) -> None:
    _issue(db, 2, dt.date(2026, 3, 6), "甲")
    db.execute("DELETE FROM certificate_counters")  # e.g. rows copied in from another file
    again = _issue(db, 1, dt.date(2026, 3, 7), "乙")
    assert cert_serials.parse(again[0]).sequence == 3


def test_the_prefix_is_a_setting(db: Database) -> None:
    cert_settings.save(db, cert_settings.CertSettings(prefix="XCZF"))
    assert settings.get(db, "cert.prefix") == "XCZF"
    serial = _issue(db, 1, dt.date(2026, 3, 6))[0]
    assert serial.startswith("XCZF2026JY00001") and cert_serials.parse(serial).prefix == "XCZF"
    for bad in ("pds", "PD5", "", "ABCDEFGHI"):
        with pytest.raises(cert_settings.CertSettingsError):
            cert_settings.save(db, cert_settings.CertSettings(prefix=bad))
