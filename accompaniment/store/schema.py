"""The tables of DESIGN §3 in portable SQLAlchemy Core (DuckDB and PostgreSQL).

Keys come from sequences with a server default (DuckDB has no SERIAL nor identity columns); every constraint is
declared here, inside CREATE TABLE, because DuckDB cannot add one later. Editable records carry a ``version`` for
optimistic concurrency and an ``archived_at`` for soft deletion. Demo rows carry ``is_demo``.
This module describes the *current* schema; the migrations under ``migrations/versions`` build it step by step.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()


def _key(table: str) -> Column:
    seq = Sequence(f"{table}_id_seq", metadata=metadata)
    return Column("id", Integer, seq, server_default=seq.next_value(), primary_key=True)


def _editable() -> list[Column]:
    return [
        Column("version", Integer, nullable=False, server_default="1"),
        Column("archived_at", DateTime, nullable=True),
        Column("is_demo", Boolean, nullable=False, server_default="false"),
        Column("created_at", DateTime, nullable=False),
        Column("updated_at", DateTime, nullable=False),
    ]


def _counts_check(name: str, column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} >= 0", name=name)


# ---- reference data -------------------------------------------------------------------------------------------

state = Table(
    "state",
    metadata,
    Column("code", String(2), primary_key=True),  # INEGI
    Column("iso_code", String(6), nullable=False, unique=True),
    Column("name", String(60), nullable=False),
    Column("short_name", String(6), nullable=False),
    Column("programme", Boolean, nullable=False),
    Column("call_year", Integer, nullable=True),
    Column("grid_row", Integer, nullable=False),
    Column("grid_col", Integer, nullable=False),
)

sdg_goal = Table(
    "sdg_goal",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("name_es", String(120), nullable=False),
    Column("name_en", String(120), nullable=False),
    Column("colour", String(7), nullable=False),
    CheckConstraint("number BETWEEN 1 AND 17", name="ck_sdg_goal_number"),
)

sdg_target = Table(
    "sdg_target",
    metadata,
    Column("code", String(6), primary_key=True),
    Column("goal", Integer, ForeignKey("sdg_goal.number"), nullable=False),
    Column("position", Integer, nullable=False),  # natural order: 16.9 before 16.10 before 16.a
    Column("name_es", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
)

ogp_value = Table(
    "ogp_value",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name_es", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
)

# ---- the secretariat -------------------------------------------------------------------------------------------

secretariat = Table(
    "secretariat",
    metadata,
    _key("secretariat"),
    Column("state_code", String(2), ForeignKey("state.code"), nullable=False, unique=True),
    Column("declaration_date", Date, nullable=True),
    Column("installation_date", Date, nullable=True),
    Column("phase", Integer, nullable=False),
    Column("phase_since", Date, nullable=True),
    Column("status_note", Text, nullable=False, server_default=""),
    Column("source", Text, nullable=True),
    *_editable(),
    CheckConstraint("phase BETWEEN 0 AND 5", name="ck_secretariat_phase"),
)

phase_event = Table(
    "phase_event",
    metadata,
    _key("phase_event"),
    Column("state_code", String(2), ForeignKey("state.code"), nullable=False),
    Column("phase", Integer, nullable=False),
    Column("changed_on", Date, nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("recorded_by", String(40), nullable=False),
    Column("source", Text, nullable=True),
    *_editable(),
    CheckConstraint("phase BETWEEN 0 AND 5", name="ck_phase_event_phase"),
)

stl_event = Table(
    "stl_event",
    metadata,
    _key("stl_event"),
    Column("state_code", String(2), ForeignKey("state.code"), nullable=False),
    Column("happened_on", Date, nullable=True),
    Column("date_precision", String(5), nullable=False, server_default="day"),  # day | month | none
    Column("kind", String(30), nullable=False),
    Column("description", Text, nullable=False),
    Column("source", Text, nullable=True),
    *_editable(),
)

member = Table(
    "member",
    metadata,
    _key("member"),
    Column("state_code", String(2), ForeignKey("state.code"), nullable=False),
    Column("organization", String(300), nullable=False),
    Column("sector", String(20), nullable=False),
    Column("seat", String(12), nullable=False),
    Column("active_from", Date, nullable=True),
    Column("active_to", Date, nullable=True),
    Column("person_name", String(300), nullable=True),  # personal data: private
    Column("person_email", String(300), nullable=True),  # personal data: private
    Column("person_phone", String(300), nullable=True),  # personal data: private
    Column("source", Text, nullable=True),
    *_editable(),
)

# ---- accompaniment activity ------------------------------------------------------------------------------------

workshop = Table(
    "workshop",
    metadata,
    _key("workshop"),
    Column("state_code", String(2), ForeignKey("state.code"), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("title", String(300), nullable=False),
    Column("topic", String(300), nullable=True),
    Column("modality", String(12), nullable=False),
    Column("hours", Double, nullable=False),
    Column("satisfaction", Integer, nullable=True),
    Column("public_summary", Text, nullable=False, server_default=""),
    Column("notes", Text, nullable=False, server_default=""),  # private
    Column("evidence_url", String(2000), nullable=True),
    Column("participant_total", Integer, nullable=False, server_default="0"),
    *_editable(),
    CheckConstraint("hours > 0", name="ck_workshop_hours"),
    CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5", name="ck_workshop_satisfaction"),
)

dialogue_session = Table(
    "dialogue_session",
    metadata,
    _key("dialogue_session"),
    Column("state_code", String(2), ForeignKey("state.code"), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("session_type", String(20), nullable=False),
    Column("modality", String(12), nullable=False),
    Column("phase", Integer, nullable=True),
    Column("topics", Text, nullable=False, server_default=""),
    Column("consensus", Integer, nullable=True),
    Column("public_summary", Text, nullable=False, server_default=""),
    Column("summary", Text, nullable=False, server_default=""),  # private
    Column("evidence_url", String(2000), nullable=True),
    Column("participant_total", Integer, nullable=False, server_default="0"),
    *_editable(),
    CheckConstraint("consensus IS NULL OR consensus BETWEEN 1 AND 5", name="ck_session_consensus"),
    CheckConstraint("phase IS NULL OR phase BETWEEN 0 AND 5", name="ck_session_phase"),
)

participation = Table(
    "participation",
    metadata,
    _key("participation"),
    Column("workshop_id", Integer, ForeignKey("workshop.id"), nullable=True),
    Column("session_id", Integer, ForeignKey("dialogue_session.id"), nullable=True),
    Column("sector", String(20), nullable=False),
    Column("gender", String(10), nullable=False),
    Column("count", Integer, nullable=False),
    _counts_check("ck_participation_count", "count"),
    CheckConstraint(
        "(workshop_id IS NULL AND session_id IS NOT NULL) OR (workshop_id IS NOT NULL AND session_id IS NULL)",
        name="ck_participation_one_activity",
    ),
)

session_organization = Table(
    "session_organization",
    metadata,
    _key("session_organization"),
    Column("session_id", Integer, ForeignKey("dialogue_session.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", String(300), nullable=False),
)

# ---- commitments -----------------------------------------------------------------------------------------------

action_plan = Table(
    "action_plan",
    metadata,
    _key("action_plan"),
    Column("state_code", String(2), ForeignKey("state.code"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("period_start", Date, nullable=True),
    Column("period_end", Date, nullable=True),
    Column("published_on", Date, nullable=True),
    Column("link", String(2000), nullable=True),
    Column("source", Text, nullable=True),
    *_editable(),
    UniqueConstraint("state_code", "number", name="uq_action_plan_state_number"),
)

commitment = Table(
    "commitment",
    metadata,
    _key("commitment"),
    Column("plan_id", Integer, ForeignKey("action_plan.id"), nullable=False),
    Column("number", Integer, nullable=True),  # proactive commitments have none
    Column("title", Text, nullable=False),
    Column("public_problem", Text, nullable=False, server_default=""),
    Column("objective", Text, nullable=False, server_default=""),
    Column("lead_institution", String(300), nullable=True),
    Column("co_responsible", String(300), nullable=True),
    Column("start_date", Date, nullable=True),
    Column("end_date", Date, nullable=True),
    Column("proactive", Boolean, nullable=False, server_default="false"),
    Column("verifiable", Boolean, nullable=True),
    Column("ambition", String(12), nullable=True),
    Column("early_results", String(16), nullable=True),
    Column("source", Text, nullable=True),
    *_editable(),
)

commitment_ogp_value = Table(
    "commitment_ogp_value",
    metadata,
    Column("commitment_id", Integer, ForeignKey("commitment.id"), primary_key=True),
    Column("ogp_value", String(40), ForeignKey("ogp_value.code"), primary_key=True),
)

commitment_sdg_target = Table(
    "commitment_sdg_target",
    metadata,
    Column("commitment_id", Integer, ForeignKey("commitment.id"), primary_key=True),
    Column("target_code", String(6), ForeignKey("sdg_target.code"), primary_key=True),
)

milestone = Table(
    "milestone",
    metadata,
    _key("milestone"),
    Column("commitment_id", Integer, ForeignKey("commitment.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("description", Text, nullable=False),
    Column("responsible", String(300), nullable=True),
    Column("due_date", Date, nullable=True),
    Column("weight", Double, nullable=False, server_default="1"),
    Column("progress", Double, nullable=False, server_default="0"),
    Column("status", String(12), nullable=False, server_default="not_started"),
    Column("completed_on", Date, nullable=True),
    Column("evidence_url", String(2000), nullable=True),
    Column("evidence_note", Text, nullable=False, server_default=""),
    *_editable(),
    CheckConstraint("progress BETWEEN 0 AND 100", name="ck_milestone_progress"),
    CheckConstraint("weight >= 0", name="ck_milestone_weight"),
    CheckConstraint(
        "status <> 'complete' OR (progress = 100 AND (evidence_url IS NOT NULL OR evidence_note <> ''))",
        name="ck_milestone_complete_needs_evidence",
    ),
)

milestone_update = Table(
    "milestone_update",
    metadata,
    _key("milestone_update"),
    Column("milestone_id", Integer, ForeignKey("milestone.id"), nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("recorded_by", String(40), nullable=False),
    Column("progress", Double, nullable=False),
    Column("status", String(12), nullable=False),
    Column("evidence_url", String(2000), nullable=True),
    Column("evidence_note", Text, nullable=False, server_default=""),
    Column("note", Text, nullable=False, server_default=""),
    Column("is_demo", Boolean, nullable=False, server_default="false"),
)

agreement = Table(
    "agreement",
    metadata,
    _key("agreement"),
    Column("session_id", Integer, ForeignKey("dialogue_session.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("responsible_sector", String(20), nullable=True),
    Column("responsible_organization", String(300), nullable=True),
    Column("due_date", Date, nullable=True),
    Column("status", String(12), nullable=False, server_default="pending"),
    Column("closed_on", Date, nullable=True),
    # No foreign key here on purpose: DuckDB indexes foreign-key columns and refuses to change an indexed column of
    # a row that other rows (agreement_update) reference, so linking a commitment in a later follow-up would fail.
    # The store checks the commitment exists and belongs to the session's state (activity.ensure_commitment_in_state).
    Column("commitment_id", Integer, nullable=True),
    *_editable(),
)

agreement_update = Table(
    "agreement_update",
    metadata,
    _key("agreement_update"),
    Column("agreement_id", Integer, ForeignKey("agreement.id"), nullable=False),
    Column("changed_on", Date, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("recorded_by", String(40), nullable=False),
    Column("status", String(12), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("is_demo", Boolean, nullable=False, server_default="false"),
)

# ---- training programme ---------------------------------------------------------------------------------------

fellows_call = Table(
    "fellows_call",
    metadata,
    _key("fellows_call"),
    Column("year", Integer, nullable=False, unique=True),
    Column("opens_on", Date, nullable=True),
    Column("closes_on", Date, nullable=True),
    Column("applicants", Integer, nullable=True),
    Column("applicants_at_least", Boolean, nullable=False, server_default="false"),  # "more than 400"
    Column("fellows", Integer, nullable=True),
    Column("fellows_women", Integer, nullable=True),
    Column("source", Text, nullable=True),
    *_editable(),
)

call_state = Table(
    "call_state",
    metadata,
    _key("call_state"),
    Column("call_id", Integer, ForeignKey("fellows_call.id"), nullable=False),
    Column("state_code", String(2), ForeignKey("state.code"), nullable=False),
    Column("applicants", Integer, nullable=True),
    Column("complete_applications", Integer, nullable=True),
    Column("fellows", Integer, nullable=True),
    Column("fellows_women", Integer, nullable=True),
    *_editable(),
    UniqueConstraint("call_id", "state_code", name="uq_call_state"),
)

fellow = Table(
    "fellow",
    metadata,
    _key("fellow"),
    Column("call_id", Integer, ForeignKey("fellows_call.id"), nullable=False),
    Column("state_code", String(2), ForeignKey("state.code"), nullable=False),
    Column("gender", String(10), nullable=False),
    Column("project_title", String(300), nullable=True),
    Column("submitted_to_stl", Boolean, nullable=False, server_default="false"),
    Column("commitment_id", Integer, ForeignKey("commitment.id"), nullable=True),
    *_editable(),
)

# ---- accounts and accountability ------------------------------------------------------------------------------

app_user = Table(
    "app_user",
    metadata,
    _key("app_user"),
    Column("username", String(40), nullable=False, unique=True),
    Column("display_name", String(300), nullable=False),
    Column("role", String(20), nullable=False),
    Column("state_code", String(2), ForeignKey("state.code"), nullable=True),
    Column("email", String(300), nullable=True),
    Column("password_hash", String(300), nullable=True),
    Column("must_change_password", Boolean, nullable=False, server_default="false"),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime, nullable=True),
    Column("last_sign_in", DateTime, nullable=True),
    # Bumped by whatever must end the account's signed-in sessions: a password reset or change, a change of role,
    # state or active flag, archiving, and any restore of a backup. A session is bound to the value it started with.
    Column("security_stamp", Integer, nullable=False, server_default="0"),
    *_editable(),
    CheckConstraint("role <> 'secretariat' OR state_code IS NOT NULL", name="ck_user_secretariat_state"),
)

# A browser's signed-in session (store/sessions.py): the SHA-256 of the random token its cookie holds, never the
# token itself; the account it belongs to, by id and username, and the account's security stamp when it began.
# No foreign key to app_user: a restore replaces the accounts, and these rows must not hold that up; the check on
# every use compares id, username and stamp instead. Never backed up (store/snapshot.py).
sign_in_session = Table(
    "sign_in_session",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("username", String(40), nullable=False),
    Column("security_stamp", Integer, nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
)

audit_entry = Table(
    "audit_entry",
    metadata,
    _key("audit_entry"),
    Column("recorded_at", DateTime, nullable=False),
    Column("actor", String(40), nullable=False),
    Column("actor_role", String(20), nullable=False),
    Column("action", String(20), nullable=False),  # create | update | archive | restore | sign_in ...
    Column("entity", String(40), nullable=False),
    Column("entity_id", Integer, nullable=True),
    Column("state_code", String(2), nullable=True),
    Column("before", Text, nullable=True),  # JSON
    Column("after", Text, nullable=True),  # JSON
)

# ---- imports ---------------------------------------------------------------------------------------------------

import_row = Table(
    "import_row",
    metadata,
    _key("import_row"),
    Column("kind", String(20), nullable=False),  # sessions, workshops, agreements, commitments, milestones
    Column("content_hash", String(64), nullable=False),  # sha256 of the row's validated content
    Column("entity_id", Integer, nullable=True),  # the record the row created
    Column("imported_at", DateTime, nullable=False),
    Column("imported_by", String(40), nullable=False),
    UniqueConstraint("kind", "content_hash", name="uq_import_row_kind_hash"),
)

# Created on PostgreSQL only (see migration 0002): on DuckDB they would block date corrections.
Index("ix_session_state_held", dialogue_session.c.state_code, dialogue_session.c.held_on)
Index("ix_workshop_state_held", workshop.c.state_code, workshop.c.held_on)
Index("ix_agreement_session", agreement.c.session_id)
Index("ix_milestone_commitment", milestone.c.commitment_id)
Index("ix_commitment_plan", commitment.c.plan_id)
Index("ix_milestone_update_milestone", milestone_update.c.milestone_id)
Index("ix_participation_session", participation.c.session_id)
Index("ix_participation_workshop", participation.c.workshop_id)
Index("ix_audit_recorded", audit_entry.c.recorded_at)
# Migration 0004 adds ix_session_held, ix_workshop_held, ix_agreement_due and four partial indexes (live activity
# by day, archived sessions, open agreements by due date) on PostgreSQL only, for the same reason; they are not
# declared here, so the DuckDB schema stays exactly what this module describes.
# Migration 0006 makes the natural keys unique on PostgreSQL, again not declared here: (agreement.session_id,
# position), (commitment.plan_id, number), (milestone.commitment_id, number), plus ix_agreement_commitment. On DuckDB
# the store keeps them unique (agreements.next_position, commitments._ensure_number_free, Store.write's turns).

# ---- notifications (issue 14; migration 0009) -----------------------------------------------------------------
# One row per account that has set its notification preferences; an account without one gets the weekly digest in
# Spanish when it has an e-mail (store/reminders.py). No foreign key to app_user, as for sign_in_session: a restore
# replaces the accounts, and these rows come back with them.
notification_preference = Table(
    "notification_preference",
    metadata,
    Column("user_id", Integer, primary_key=True, autoincrement=False),
    Column("weekly_digest", Boolean, nullable=False, server_default="true"),
    Column("language", String(2), nullable=False, server_default="es"),
    Column("updated_at", DateTime, nullable=False),
    CheckConstraint("language IN ('es', 'en')", name="ck_notification_language"),
)

# The record of each digest sent: who, on which day, when, and which items (JSON list of "milestone:12",
# "agreement:4"). Written right after the SMTP server accepts the message, one transaction per recipient, so a
# later failure never loses it; one per account and day, so a second run the same day sends nothing twice.
reminder_sent = Table(
    "reminder_sent",
    metadata,
    _key("reminder_sent"),
    Column("user_id", Integer, nullable=False),
    Column("username", String(40), nullable=False),
    Column("digest_on", Date, nullable=False),
    Column("sent_at", DateTime, nullable=False),
    Column("item_count", Integer, nullable=False),
    Column("items", Text, nullable=False),
    UniqueConstraint("user_id", "digest_on", name="uq_reminder_sent_user_day"),
)

# ---- data version (issue 15; migration 0008) ----------------------------------------------------------------
# A change counter, moved by every write in the write's own transaction (store/data_version.py); the cached reads of
# every app process are keyed by it, so none serves a figure older than the last committed write. One row ('data'):
# the overview reads nearly every table, so finer rows would not spare it a refetch. Never backed up; a restore
# moves it on (store/snapshot.py).
data_version = Table(
    "data_version",
    metadata,
    Column("name", String(20), primary_key=True),
    Column("version", BigInteger, nullable=False, server_default="0"),
)

# ---- reporting cycle (issue 12; migration 0010) --------------------------------------------------------------
# The working group opens a period for some or all programme states; each state's secretariat drafts one report per
# period (state_report, its milestone lines in report_item), submits it, and the working group returns or approves
# it (each move a report_transition row and an audit entry). Approval copies the figures to the milestones and to
# approved_milestone, the PUBLISHED figures (report_id NULL: the starting record, counted as approved when loaded).
# Evidence files live in the store's folder under their SHA-256 (store/evidence_files.py); these rows are their
# metadata. report_item and approved_milestone have their own keys rather than composite ones: DuckDB checks a
# unique key eagerly, so a draft's lines deleted and written again in one transaction would collide.
reporting_period = Table(
    "reporting_period",
    metadata,
    _key("reporting_period"),
    Column("name", String(120), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("opened_by", String(40), nullable=False),
    Column("opened_at", DateTime, nullable=False),
    *_editable(),
    CheckConstraint("starts_on <= ends_on AND ends_on <= due_on", name="ck_reporting_period_dates"),
)

reporting_period_state = Table(
    "reporting_period_state",
    metadata,
    Column("period_id", Integer, ForeignKey("reporting_period.id"), primary_key=True),
    Column("state_code", String(2), ForeignKey("state.code"), primary_key=True),
)

evidence_file = Table(
    "evidence_file",
    metadata,
    _key("evidence_file"),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("size_bytes", BigInteger, nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("state_code", String(2), ForeignKey("state.code"), nullable=False),
    Column("is_public", Boolean, nullable=False, server_default="false"),
    Column("uploaded_by", String(40), nullable=False),
    Column("uploaded_at", DateTime, nullable=False),
    CheckConstraint("size_bytes > 0", name="ck_evidence_file_size"),
)

state_report = Table(
    "state_report",
    metadata,
    _key("state_report"),
    Column("period_id", Integer, ForeignKey("reporting_period.id"), nullable=False),
    Column("state_code", String(2), ForeignKey("state.code"), nullable=False),
    Column("status", String(10), nullable=False, server_default="draft"),
    Column("narrative", Text, nullable=False, server_default=""),  # public
    Column("internal_notes", Text, nullable=False, server_default=""),  # private
    Column("review_comment", Text, nullable=False, server_default=""),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", String(40), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_by", String(40), nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("submitted_at", DateTime, nullable=True),
    Column("approved_at", DateTime, nullable=True),
    Column("approved_by", String(40), nullable=True),
    UniqueConstraint("period_id", "state_code", name="uq_state_report_period_state"),
    CheckConstraint(
        "status IN ('draft', 'submitted', 'returned', 'approved')", name="ck_state_report_status"
    ),
)

report_item = Table(
    "report_item",
    metadata,
    _key("report_item"),
    Column("report_id", Integer, ForeignKey("state_report.id"), nullable=False),
    Column("milestone_id", Integer, ForeignKey("milestone.id"), nullable=False),
    Column("progress", Double, nullable=False),
    Column("status", String(12), nullable=False),
    Column("evidence_url", String(2000), nullable=True),
    Column("evidence_note", Text, nullable=False, server_default=""),
    Column("evidence_file_id", Integer, ForeignKey("evidence_file.id"), nullable=True),
    Column("review_comment", Text, nullable=False, server_default=""),
    CheckConstraint("progress BETWEEN 0 AND 100", name="ck_report_item_progress"),
)

report_transition = Table(
    "report_transition",
    metadata,
    _key("report_transition"),
    Column("report_id", Integer, ForeignKey("state_report.id"), nullable=False),
    Column("from_status", String(10), nullable=True),
    Column("to_status", String(10), nullable=False),
    Column("actor", String(40), nullable=False),
    Column("at", DateTime, nullable=False, quote=True),  # a reserved word in DuckDB
    Column("comment", Text, nullable=False, server_default=""),
)

approved_milestone = Table(
    "approved_milestone",
    metadata,
    Column("milestone_id", Integer, ForeignKey("milestone.id"), primary_key=True, autoincrement=False),
    Column("progress", Double, nullable=False),
    Column("status", String(12), nullable=False),
    Column("approved_on", Date, nullable=False),
    Column("report_id", Integer, nullable=True),  # NULL: the baseline (the starting record)
)

EDITABLE_TABLES = {t.name: t for t in metadata.sorted_tables if "version" in t.c and "archived_at" in t.c}
