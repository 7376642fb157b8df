"""The schema, as an ordered list of sqlite-utils migrations.

Never edit a migration that has shipped: add a new one. `tests/test_storage.py` opens a database
made by the first version and checks it is carried forward.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("trainer")


@migrations(name="m001_register")
def m001_register(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            parent_id INTEGER REFERENCES units(id),
            level TEXT NOT NULL CHECK (level IN ('市局', '科室', '县级', '街道')),
            sort_order INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE unit_aliases (
            alias TEXT PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE
        );
        CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            gender TEXT NOT NULL CHECK (gender IN ('男', '女')),
            id_number TEXT NOT NULL UNIQUE,
            unit_id INTEGER NOT NULL REFERENCES units(id),
            category TEXT NOT NULL CHECK (category IN ('执法人员', '协管人员')),
            position TEXT NOT NULL DEFAULT '',
            is_leader INTEGER NOT NULL DEFAULT 0,
            leader_since TEXT,
            hire_date TEXT NOT NULL,
            card_number TEXT NOT NULL DEFAULT '',
            card_expiry TEXT,
            post_status TEXT NOT NULL DEFAULT '在岗',
            phone TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX people_unit ON people(unit_id);
        CREATE TABLE person_history (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            old_value TEXT NOT NULL DEFAULT '',
            new_value TEXT NOT NULL DEFAULT '',
            effective_date TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX person_history_person ON person_history(person_id);
        """
    )


@migrations(name="m002_settings_and_timestamps")
def m002_settings_and_timestamps(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        ALTER TABLE people ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
        ALTER TABLE people ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
        CREATE INDEX people_name ON people(name);
        """
    )


@migrations(name="m003_training")
def m003_training(db: Database) -> None:
    # Hours and days are stored as integers in hundredths (学时 × 100, 天 × 100) and money in fen, so SQL
    # sums stay exact; services turn them into Decimal. Dates are ISO text.
    db.executescript(
        """
        CREATE TABLE rule_sets (
            id INTEGER PRIMARY KEY,
            version TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            body TEXT NOT NULL,              -- JSON: thresholds, each with its source text
            created_at TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE training_bases (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('党校', '行政学院', '高校', '自办', '其他')),
            address TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE annual_plans (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id),
            year INTEGER NOT NULL,
            title TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT '草稿' CHECK (status IN ('草稿', '已发布')),
            note TEXT NOT NULL DEFAULT '',
            UNIQUE (unit_id, year)
        );
        CREATE TABLE plan_items (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES annual_plans(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            type TEXT NOT NULL,
            audience TEXT NOT NULL DEFAULT '{}',  -- JSON: categories, leaders, recruits, unit ids
            planned_month INTEGER,
            start_date TEXT,
            end_date TEXT,
            days_x100 INTEGER NOT NULL DEFAULT 0,
            hours_x100 INTEGER NOT NULL DEFAULT 0,
            base_id INTEGER REFERENCES training_bases(id),
            organiser_unit_id INTEGER REFERENCES units(id),
            budget_fen INTEGER NOT NULL DEFAULT 0,
            planned_people INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT '计划' CHECK (status IN ('计划', '进行中', '已完成', '已取消')),
            sort_order INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE classes (
            id INTEGER PRIMARY KEY,
            plan_item_id INTEGER REFERENCES plan_items(id) ON DELETE SET NULL,
            title TEXT NOT NULL,
            type TEXT NOT NULL,
            start_date TEXT NOT NULL,
            end_date TEXT NOT NULL,
            base_id INTEGER REFERENCES training_bases(id),
            organiser_unit_id INTEGER REFERENCES units(id),
            capacity INTEGER NOT NULL DEFAULT 0,
            pass_mark_x100 INTEGER,          -- NULL: no assessment, everyone passes
            status TEXT NOT NULL DEFAULT '筹备' CHECK (status IN ('筹备', '进行中', '已结束')),
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE class_sessions (
            id INTEGER PRIMARY KEY,
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            start_time TEXT NOT NULL DEFAULT '',
            end_time TEXT NOT NULL DEFAULT '',
            topic TEXT NOT NULL,
            teacher TEXT NOT NULL DEFAULT '',
            hours_x100 INTEGER NOT NULL,
            mode TEXT NOT NULL DEFAULT '理论' CHECK (mode IN ('理论', '实操', '线上'))
        );
        CREATE INDEX class_sessions_class ON class_sessions(class_id);
        CREATE TABLE enrolments (
            id INTEGER PRIMARY KEY,
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES people(id),
            score_x100 INTEGER,
            override_completed INTEGER,      -- NULL: computed; 0/1: the officer decided
            override_reason TEXT NOT NULL DEFAULT '',
            UNIQUE (class_id, person_id)
        );
        CREATE INDEX enrolments_person ON enrolments(person_id);
        CREATE TABLE attendance (
            session_id INTEGER NOT NULL REFERENCES class_sessions(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES people(id),
            status TEXT NOT NULL CHECK (status IN ('出勤', '迟到', '早退', '请假', '缺勤')),
            PRIMARY KEY (session_id, person_id)
        ) WITHOUT ROWID;
        CREATE INDEX attendance_person ON attendance(person_id);
        CREATE TABLE external_records (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id),
            title TEXT NOT NULL,
            type TEXT NOT NULL,
            start_date TEXT NOT NULL,
            end_date TEXT NOT NULL,
            days_x100 INTEGER NOT NULL,
            hours_x100 INTEGER NOT NULL,
            completed INTEGER NOT NULL,
            organiser TEXT NOT NULL DEFAULT '',
            imported_at TEXT NOT NULL,
            UNIQUE (person_id, title, start_date)
        );
        CREATE INDEX external_records_person ON external_records(person_id);
        """
    )


@migrations(name="m004_certificates")
def m004_certificates(db: Database) -> None:
    # The certificate register. Rows are never deleted: a serial, once given, stays taken (revoked and
    # reissued rows keep theirs), and the holder's name, ID number and wording are frozen at issue time so
    # a certificate printed years later, and its signed QR, still match the register.
    db.executescript(
        """
        CREATE TABLE certificates (
            id INTEGER PRIMARY KEY,
            serial TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('JY', 'HJ')),   -- 结业 completion / 获奖 award
            year INTEGER NOT NULL,
            sequence INTEGER NOT NULL,
            person_id INTEGER NOT NULL REFERENCES people(id),
            holder_name TEXT NOT NULL,
            id_number TEXT NOT NULL,
            class_id INTEGER REFERENCES classes(id) ON DELETE SET NULL,
            award TEXT NOT NULL DEFAULT '',                     -- what an HJ certificate is for
            subject TEXT NOT NULL,                              -- 内容: the class title or the award
            body TEXT NOT NULL,                                 -- the sentence printed after the name
            start_date TEXT,
            end_date TEXT,
            hours_x100 INTEGER,
            issue_date TEXT NOT NULL,
            issuer TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT '有效' CHECK (status IN ('有效', '已撤销', '已补发')),
            print_count INTEGER NOT NULL DEFAULT 0,
            last_printed_at TEXT,
            revoked_at TEXT,
            revoke_reason TEXT NOT NULL DEFAULT '',
            reissued_from TEXT REFERENCES certificates(serial),
            created_at TEXT NOT NULL,
            UNIQUE (year, kind, sequence)
        );
        CREATE INDEX certificates_person ON certificates(person_id);
        CREATE INDEX certificates_class ON certificates(class_id);
        CREATE INDEX certificates_reissued_from ON certificates(reissued_from);
        -- one valid certificate per person and class / award: the register itself refuses a second
        CREATE UNIQUE INDEX certificates_one_per_class ON certificates(person_id, class_id)
            WHERE status = '有效' AND class_id IS NOT NULL;
        CREATE UNIQUE INDEX certificates_one_per_award ON certificates(person_id, award)
            WHERE status = '有效' AND kind = 'HJ';
        -- the last sequence given per year and type, so a number is never given twice
        CREATE TABLE certificate_counters (
            year INTEGER NOT NULL,
            kind TEXT NOT NULL,
            last INTEGER NOT NULL,
            PRIMARY KEY (year, kind)
        ) WITHOUT ROWID;
        """
    )


@migrations(name="m005_contest")
def m005_contest(db: Database) -> None:
    # The skills contest (issue 6). Scores, maxima, weights and spreads are integers in thousandths (× 1000)
    # or hundredths (× 100) so SQL and the ranking stay exact; services turn them into Decimal.
    # A score slot is (item, competitor, judge, criterion): judge is NULL for 单一成绩, criterion is set for
    # 评分细则 only. "Not scored" is the absence of a row; 0 is a score. Judges' laptops (issue 7) write the
    # same slots from signed files (`origin` names the file) and extend the same audit chain.
    db.executescript(
        """
        CREATE TABLE contests (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,            -- random; judge kits and score files name the contest by it
            name TEXT NOT NULL,
            start_date TEXT,
            end_date TEXT,
            venue TEXT NOT NULL DEFAULT '',
            organiser TEXT NOT NULL DEFAULT '',
            team_mode TEXT NOT NULL DEFAULT '合计' CHECK (team_mode IN ('合计', '前N名')),
            team_best_n INTEGER CHECK (team_best_n IS NULL OR team_best_n > 0),
            pin_hash TEXT NOT NULL DEFAULT '',   -- the chief judge's PIN as an scrypt hash; '' until set
            created_at TEXT NOT NULL
        );
        CREATE TABLE contest_items (
            id INTEGER PRIMARY KEY,
            contest_id INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT '个人' CHECK (kind IN ('个人', '团体')),
            method TEXT NOT NULL CHECK (method IN ('去掉最高最低取平均', '平均分', '单一成绩', '评分细则')),
            -- how a 评分细则 item aggregates the judges' criterion sums
            rubric_method TEXT NOT NULL DEFAULT '去掉最高最低取平均'
                CHECK (rubric_method IN ('去掉最高最低取平均', '平均分')),
            full_marks_x1000 INTEGER NOT NULL CHECK (full_marks_x1000 > 0),
            weight_x100 INTEGER NOT NULL CHECK (weight_x100 >= 0),
            decimals INTEGER NOT NULL DEFAULT 2 CHECK (decimals BETWEEN 0 AND 3),
            tiebreak INTEGER CHECK (tiebreak IS NULL OR tiebreak > 0),   -- 决胜顺序, 1 first
            max_spread_x1000 INTEGER CHECK (max_spread_x1000 IS NULL OR max_spread_x1000 >= 0),
            blind INTEGER NOT NULL DEFAULT 0,    -- judged on anonymous codes (文书、案卷)
            -- 单一成绩 with a conversion table: the measured value's unit, decimals and direction
            raw_unit TEXT NOT NULL DEFAULT '',
            raw_decimals INTEGER NOT NULL DEFAULT 2 CHECK (raw_decimals BETWEEN 0 AND 3),
            lower_is_better INTEGER NOT NULL DEFAULT 1,
            sort_order INTEGER NOT NULL,
            locked_at TEXT,
            locked_by TEXT NOT NULL DEFAULT '',
            UNIQUE (contest_id, name),
            UNIQUE (contest_id, tiebreak)
        );
        CREATE TABLE contest_criteria (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES contest_items(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            max_x1000 INTEGER NOT NULL CHECK (max_x1000 > 0),
            sort_order INTEGER NOT NULL,
            UNIQUE (item_id, name)
        );
        CREATE TABLE contest_conversions (   -- 单一成绩 step table: measured value limit → points
            item_id INTEGER NOT NULL REFERENCES contest_items(id) ON DELETE CASCADE,
            limit_x1000 INTEGER NOT NULL CHECK (limit_x1000 >= 0),
            points_x1000 INTEGER NOT NULL CHECK (points_x1000 >= 0),
            PRIMARY KEY (item_id, limit_x1000)
        ) WITHOUT ROWID;
        CREATE TABLE contest_competitors (
            id INTEGER PRIMARY KEY,
            contest_id INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
            person_id INTEGER REFERENCES people(id),   -- NULL: from a workbook, not on the register
            name TEXT NOT NULL,
            id_number TEXT NOT NULL DEFAULT '',
            unit_id INTEGER NOT NULL REFERENCES units(id),
            draw_no INTEGER CHECK (draw_no IS NULL OR draw_no > 0),   -- NULL until the draw
            UNIQUE (contest_id, draw_no)
        );
        CREATE UNIQUE INDEX contest_competitors_person ON contest_competitors(contest_id, person_id)
            WHERE person_id IS NOT NULL;
        CREATE UNIQUE INDEX contest_competitors_id_number ON contest_competitors(contest_id, id_number)
            WHERE id_number != '';
        CREATE TABLE contest_codes (        -- per-item anonymous codes for written work
            item_id INTEGER NOT NULL REFERENCES contest_items(id) ON DELETE CASCADE,
            competitor_id INTEGER NOT NULL REFERENCES contest_competitors(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            PRIMARY KEY (item_id, competitor_id),
            UNIQUE (item_id, code)
        ) WITHOUT ROWID;
        CREATE TABLE contest_draws (        -- every draw, with what is needed to repeat it
            id INTEGER PRIMARY KEY,
            contest_id INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
            item_id INTEGER REFERENCES contest_items(id) ON DELETE CASCADE,   -- NULL: draw numbers
            seed TEXT NOT NULL,
            method TEXT NOT NULL,
            result TEXT NOT NULL,           -- JSON: competitor id → number or code
            drawn_by TEXT NOT NULL,
            drawn_at TEXT NOT NULL
        );
        CREATE TABLE contest_judges (
            id INTEGER PRIMARY KEY,
            contest_id INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
            code TEXT NOT NULL,             -- 评委编号
            name TEXT NOT NULL,
            unit_id INTEGER REFERENCES units(id),   -- NULL: an external (外聘) judge, recused from nobody
            unit_text TEXT NOT NULL DEFAULT '',
            is_chief INTEGER NOT NULL DEFAULT 0,
            UNIQUE (contest_id, code)
        );
        CREATE TABLE contest_assignments (
            item_id INTEGER NOT NULL REFERENCES contest_items(id) ON DELETE CASCADE,
            judge_id INTEGER NOT NULL REFERENCES contest_judges(id) ON DELETE CASCADE,
            PRIMARY KEY (item_id, judge_id)
        ) WITHOUT ROWID;
        CREATE TABLE contest_scores (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES contest_items(id) ON DELETE CASCADE,
            competitor_id INTEGER NOT NULL REFERENCES contest_competitors(id) ON DELETE CASCADE,
            judge_id INTEGER REFERENCES contest_judges(id),
            criterion_id INTEGER REFERENCES contest_criteria(id),
            value_x1000 INTEGER NOT NULL CHECK (value_x1000 >= 0),
            source TEXT NOT NULL,           -- 录入 / 导入 / 复核裁定 / 评委文件
            origin TEXT NOT NULL DEFAULT '', -- the file a value came from
            entered_by TEXT NOT NULL,
            entered_at TEXT NOT NULL,
            updated_by TEXT NOT NULL DEFAULT '',
            updated_at TEXT
        );
        CREATE UNIQUE INDEX contest_scores_slot
            ON contest_scores(item_id, competitor_id, IFNULL(judge_id, 0), IFNULL(criterion_id, 0));
        -- covers the ranking's GROUP BY item, competitor (, judge): no table lookups, no sort
        CREATE INDEX contest_scores_values ON contest_scores(item_id, competitor_id, judge_id, value_x1000);
        CREATE TABLE contest_score_checks (   -- double entry: a second clerk's values, never merged silently
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES contest_items(id) ON DELETE CASCADE,
            competitor_id INTEGER NOT NULL REFERENCES contest_competitors(id) ON DELETE CASCADE,
            judge_id INTEGER REFERENCES contest_judges(id),
            criterion_id INTEGER REFERENCES contest_criteria(id),
            value_x1000 INTEGER NOT NULL CHECK (value_x1000 >= 0),
            entered_by TEXT NOT NULL,
            entered_at TEXT NOT NULL,
            resolved_x1000 INTEGER,         -- the chief judge's decision on a mismatch
            resolved_by TEXT NOT NULL DEFAULT '',
            resolved_at TEXT,
            resolve_reason TEXT NOT NULL DEFAULT ''
        );
        CREATE UNIQUE INDEX contest_score_checks_slot
            ON contest_score_checks(item_id, competitor_id, IFNULL(judge_id, 0), IFNULL(criterion_id, 0));
        CREATE TABLE contest_deductions (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES contest_items(id) ON DELETE CASCADE,
            competitor_id INTEGER NOT NULL REFERENCES contest_competitors(id) ON DELETE CASCADE,
            points_x1000 INTEGER NOT NULL CHECK (points_x1000 > 0),
            reason TEXT NOT NULL CHECK (reason != ''),
            entered_by TEXT NOT NULL,
            entered_at TEXT NOT NULL
        );
        CREATE INDEX contest_deductions_item ON contest_deductions(item_id, competitor_id);
        CREATE TABLE contest_spread_overrides (   -- the chief judge accepted a spread; void once scores change
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES contest_items(id) ON DELETE CASCADE,
            competitor_id INTEGER NOT NULL REFERENCES contest_competitors(id) ON DELETE CASCADE,
            digest TEXT NOT NULL,           -- of the judge scores it accepted
            spread_x1000 INTEGER NOT NULL,
            reason TEXT NOT NULL CHECK (reason != ''),
            actor TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE TABLE contest_awards (
            id INTEGER PRIMARY KEY,
            contest_id INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
            competitor_id INTEGER NOT NULL REFERENCES contest_competitors(id) ON DELETE CASCADE,
            prize TEXT NOT NULL,
            tier INTEGER NOT NULL,
            place INTEGER NOT NULL,
            basis TEXT NOT NULL,            -- how the counts were reached, as confirmed
            confirmed_by TEXT NOT NULL,
            confirmed_at TEXT NOT NULL,
            UNIQUE (contest_id, competitor_id)
        );
        -- Append-only log of every change to scores, locks, overrides and awards. Each entry carries the
        -- hash of the previous one (trainer.audit), so an edit or a deleted row breaks the chain.
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            contest_id INTEGER,             -- no foreign keys: the log outlives what it describes
            item_id INTEGER,
            competitor_id INTEGER,
            judge_id INTEGER,
            criterion_id INTEGER,
            old_value TEXT NOT NULL DEFAULT '',
            new_value TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '',
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE
        );
        CREATE INDEX audit_log_contest ON audit_log(contest_id, item_id, competitor_id);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """
    )


@migrations(name="m006_judge_files")
def m006_judge_files(db: Database) -> None:
    # Judges' laptops (issue 7). The database gets a random identity (`db.uid`) so a kit or score file from
    # another bureau's file is recognised. Each exported kit has its own secret (the HMAC key of the score
    # files made from it) and the SHA-256 of its content, which every score file names. A submission is one
    # merged score file (kept verbatim); a newer one from the same judge supersedes it. A conflict is a judge
    # file's value that differs from one entered by hand: kept with both values until the chief judge decides.
    db.executescript(
        """
        INSERT OR IGNORE INTO settings (key, value) VALUES ('db.uid', lower(hex(randomblob(16))));
        CREATE TABLE contest_judge_kits (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            contest_id INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
            judge_id INTEGER NOT NULL REFERENCES contest_judges(id) ON DELETE CASCADE,
            secret TEXT NOT NULL,            -- 32 random bytes, hex: the HMAC-SHA256 key of this kit's score files
            sha256 TEXT NOT NULL,            -- of the kit's content, as score files name it
            exported_by TEXT NOT NULL,
            exported_at TEXT NOT NULL
        );
        CREATE INDEX contest_judge_kits_judge ON contest_judge_kits(contest_id, judge_id);
        CREATE TABLE contest_submissions (
            id INTEGER PRIMARY KEY,
            contest_id INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
            judge_id INTEGER NOT NULL REFERENCES contest_judges(id) ON DELETE CASCADE,
            kit_id INTEGER NOT NULL REFERENCES contest_judge_kits(id) ON DELETE CASCADE,
            content_hash TEXT NOT NULL UNIQUE,   -- SHA-256 of the signed content (printed on the paper sheet)
            revision INTEGER NOT NULL,
            submitted_at TEXT NOT NULL,
            file_name TEXT NOT NULL,
            body TEXT NOT NULL,                  -- the verified content, verbatim
            value_count INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT '有效' CHECK (status IN ('有效', '已取代')),
            superseded_by INTEGER REFERENCES contest_submissions(id),
            merged_by TEXT NOT NULL,
            merged_at TEXT NOT NULL
        );
        CREATE INDEX contest_submissions_judge ON contest_submissions(contest_id, judge_id);
        CREATE TABLE contest_conflicts (
            id INTEGER PRIMARY KEY,
            contest_id INTEGER NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
            submission_id INTEGER NOT NULL REFERENCES contest_submissions(id) ON DELETE CASCADE,
            item_id INTEGER NOT NULL REFERENCES contest_items(id) ON DELETE CASCADE,
            competitor_id INTEGER NOT NULL REFERENCES contest_competitors(id) ON DELETE CASCADE,
            judge_id INTEGER NOT NULL REFERENCES contest_judges(id) ON DELETE CASCADE,
            criterion_id INTEGER REFERENCES contest_criteria(id) ON DELETE CASCADE,
            stored_x1000 INTEGER NOT NULL,       -- the value entered by hand
            stored_source TEXT NOT NULL,
            stored_by TEXT NOT NULL,
            file_x1000 INTEGER NOT NULL,         -- the judge's file's value
            status TEXT NOT NULL DEFAULT '待裁定' CHECK (status IN ('待裁定', '已裁定', '已取代')),
            created_at TEXT NOT NULL,
            resolved_x1000 INTEGER,
            resolved_by TEXT NOT NULL DEFAULT '',
            resolved_at TEXT,
            resolve_reason TEXT NOT NULL DEFAULT ''
        );
        CREATE UNIQUE INDEX contest_conflicts_open
            ON contest_conflicts(item_id, competitor_id, judge_id, IFNULL(criterion_id, 0)) WHERE status = '待裁定';
        CREATE INDEX contest_conflicts_contest ON contest_conflicts(contest_id, status);
        """
    )


@migrations(name="m007_team_entries")
def m007_team_entries(db: Database) -> None:
    # Team items (团体项目, issue 6): a team (the competitors of one team unit, trainer.contest_people) is scored
    # once, as an entrant of its own: a contest_competitors row with is_team = 1, unit_id the team unit, no
    # person, no draw number, and a team number (队号) from the draw. Every score table keys on competitor_id,
    # so team scores, audit, locks, kits and merges need nothing new.
    db.executescript(
        """
        ALTER TABLE contest_competitors ADD COLUMN is_team INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE contest_competitors ADD COLUMN team_no INTEGER CHECK (team_no IS NULL OR team_no > 0);
        CREATE UNIQUE INDEX contest_competitors_team_no ON contest_competitors(contest_id, team_no)
            WHERE team_no IS NOT NULL;
        CREATE UNIQUE INDEX contest_competitors_team_unit ON contest_competitors(contest_id, unit_id)
            WHERE is_team = 1;
        """
    )


@migrations(name="m008_form_drafts")
def m008_form_drafts(db: Database) -> None:
    # What was typed into a form and not yet saved (trainer.drafts): kept on every change so a crash, a power
    # cut or 取消 loses nothing, and offered back when the same form opens again. One row per form and record.
    db.executescript(
        """
        CREATE TABLE form_drafts (
            key      TEXT PRIMARY KEY,
            title    TEXT NOT NULL,
            fields   TEXT NOT NULL,
            saved_at TEXT NOT NULL
        );
        """
    )
