"""The demo data set: about two years of plausible accompaniment activity for the 15 STLs, on top of their real
starting record. Deterministic (a fixed seed and a fixed "today"), so screenshots, tests and benchmarks are
repeatable. ``scale`` multiplies the activity; from scale 10 the other 17 states join, as a national roll-out would.

Every row written here is marked ``is_demo``; the app shows a banner while demo rows exist.

The demo's milestone figures count as approved as of the day it is loaded (``reporting.publish_baseline``: the
public sees approved figures only, issue 12), and ``demo_reports`` then adds a reporting cycle to show.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import Connection, exists, func, select, update

from accompaniment.access import SYSTEM
from accompaniment.demo_reports import add_demo_reports
from accompaniment.domain.enums import Gender, Modality, Phase, Sector, SessionType
from accompaniment.store import bulk, reporting
from accompaniment.store.database import Store
from accompaniment.store.schema import (
    action_plan,
    agreement,
    call_state,
    commitment,
    commitment_ogp_value,
    commitment_sdg_target,
    dialogue_session,
    fellow,
    fellows_call,
    member,
    milestone,
    milestone_update,
    participation,
    phase_event,
    secretariat,
    session_organization,
    state,
    workshop,
)

SEED = 2030
WINDOW_DAYS = 730

# Demo phase moves within the window: state -> [(days before today, new phase)].
# Evaluated STLs start a second cycle; co-creating ones publish; three STLs stay stalled on purpose.
PHASE_SCRIPT: dict[str, list[tuple[int, int]]] = {
    "17": [(700, Phase.CO_CREATION), (320, Phase.IMPLEMENTATION)],  # Morelos
    "10": [(690, Phase.CO_CREATION), (300, Phase.IMPLEMENTATION)],  # Durango
    "29": [(650, Phase.CO_CREATION), (280, Phase.IMPLEMENTATION)],  # Tlaxcala
    "30": [(640, Phase.CO_CREATION), (260, Phase.IMPLEMENTATION)],  # Veracruz
    "20": [(150, Phase.EVALUATION)],  # Oaxaca
    "04": [(240, Phase.EVALUATION)],  # Campeche
    "24": [(200, Phase.EVALUATION)],  # San Luis Potosí
    "19": [(330, Phase.IMPLEMENTATION)],  # Nuevo León
    "25": [(300, Phase.IMPLEMENTATION)],  # Sinaloa
    "27": [(280, Phase.IMPLEMENTATION)],  # Tabasco
    "11": [(600, Phase.STL_INSTALLED), (250, Phase.CO_CREATION)],  # Guanajuato
    "15": [(580, Phase.STL_INSTALLED), (220, Phase.CO_CREATION)],  # Estado de México
    "08": [(520, Phase.STL_INSTALLED)],  # Chihuahua: stalled (no recent session, phase old)
    "26": [],  # Sonora: stalled
    "23": [],  # Quintana Roo: stalled
}
STALLED_ON_PURPOSE = {"08", "26", "23"}
# A plan published by the demo: the second plan of a new cycle, or the first of an STL that was co-creating.
NEW_PLAN_AT_PHASE = Phase.IMPLEMENTATION

# Keyword -> SDG targets and OGP values, applied to commitment titles (Spanish).
ALIGNMENT: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = [
    (
        ("residuos", "contaminación", "ladrilleras", "barrancas", "saneamiento", "ambiental"),
        ("11.6", "12.5", "6.3"),
        ("civic_participation",),
    ),
    (("agua",), ("6.1", "6.b"), ("public_accountability",)),
    (
        ("policías", "violencia", "detenidas", "desaparecidas", "justicia"),
        ("16.1", "16.3", "16.6"),
        ("public_accountability",),
    ),
    (
        ("acceso a la información", "transparencia", "portal", "información"),
        ("16.10", "16.6"),
        ("access_to_information",),
    ),
    (
        (
            "recursos",
            "dinero",
            "contraloría",
            "obra pública",
            "follow the money",
            "recaudación",
            "control interno",
        ),
        ("16.5", "16.6", "17.1"),
        ("public_accountability",),
    ),
    (
        ("escolares", "educación", "escuelas", "calificaciones", "beca", "capacitaci"),
        ("4.1", "4.4"),
        ("civic_participation",),
    ),
    (("embarazos", "adolescentes"), ("3.7", "5.6"), ("access_to_information",)),
    (("discapacidad",), ("10.2", "11.7"), ("civic_participation",)),
    (("nutricional", "comedor"), ("2.1",), ("civic_participation",)),
    (("pesquería", "pulpo", "industriales", "vocaciones"), ("8.3", "14.b"), ("civic_participation",)),
    (
        ("aplicación", "digital", "tecnológica", "electrónicos", "georreferenciada", "móvil"),
        ("9.c", "16.10"),
        ("technology_innovation",),
    ),
    (("participación", "ciudadan", "consejos"), ("16.7",), ("civic_participation",)),
    (("ferroviaria", "estación"), ("9.1", "11.2"), ("public_accountability",)),
]

DEMO_COMMITMENT_TOPICS = [
    (
        "Tablero público de seguimiento a la obra pública municipal",
        ("16.6", "11.3"),
        ("access_to_information",),
    ),
    ("Mesas ciudadanas para la vigilancia del gasto en salud", ("3.8", "16.5"), ("public_accountability",)),
    (
        "Datos abiertos de calidad del agua en comunidades rurales",
        ("6.1", "16.10"),
        ("technology_innovation",),
    ),
    ("Presupuesto participativo con enfoque de género", ("5.5", "16.7"), ("civic_participation",)),
    (
        "Protocolo de atención a solicitudes de información en lenguas indígenas",
        ("10.2", "16.10"),
        ("access_to_information",),
    ),
    ("Monitoreo ciudadano de programas sociales alimentarios", ("2.1", "1.3"), ("public_accountability",)),
]
MILESTONE_STEPS = [
    "Diagnóstico participativo del problema público",
    "Diseño de la herramienta con sociedad civil",
    "Piloto en un municipio",
    "Capacitación a personas servidoras públicas",
    "Publicación de resultados en datos abiertos",
    "Evaluación conjunta en sesión del STL",
]
WORKSHOP_TOOLS = [
    "Árbol de problemas públicos",
    "Mapa de actores",
    "Teoría de cambio",
    "Alineación a la Agenda 2030",
    "Diseño de hitos verificables",
    "Diálogo multiactor y consenso",
    "Datos abiertos",
    "Evaluación del plan",
]
AGREEMENT_TEXTS = [
    "Enviar la minuta de la sesión a las personas integrantes del STL",
    "Revisar la redacción del compromiso con la dependencia responsable",
    "Integrar las observaciones de la sociedad civil al borrador del plan",
    "Programar una mesa de trabajo con el órgano garante",
    "Publicar el avance de los hitos en el micrositio de gobierno abierto",
    "Solicitar a la dependencia la evidencia del hito comprometido",
    "Convocar a organizaciones locales a la siguiente sesión",
    "Preparar la propuesta de indicadores de resultado",
]
ORGANISATIONS = {
    Sector.CIVIL_SOCIETY: [
        "Colectivo Ciudadano Local",
        "Observatorio Ciudadano",
        "Red de Jóvenes por la Transparencia",
    ],
    Sector.GOVERNMENT: [
        "Secretaría de la Contraloría",
        "Secretaría de Planeación y Finanzas",
        "Ayuntamiento capital",
    ],
    Sector.GUARANTOR_BODY: ["Órgano garante de transparencia"],
    Sector.ACADEMIA: ["Universidad estatal"],
}


@dataclass(frozen=True)
class DemoSummary:
    states: int
    sessions: int
    workshops: int
    agreements: int
    commitments: int
    milestones: int
    milestone_updates: int


def has_demo_data(store: Store) -> bool:
    """Whether any demo session is stored. Asked on every page run (the banner), so it stops at the first one
    instead of counting them all."""
    with store.read() as connection:
        return bool(connection.execute(select(exists().where(dialogue_session.c.is_demo))).scalar_one())


def _aligned(title: str) -> tuple[list[str], list[str]]:
    lowered = title.lower()
    targets: list[str] = []
    values: list[str] = []
    for keywords, codes, ogp in ALIGNMENT:
        if any(k in lowered for k in keywords):
            targets += [c for c in codes if c not in targets]
            values += [v for v in ogp if v not in values]
    return targets[:4] or ["16.7"], values or ["civic_participation"]


class _Builder:
    """Collects rows per table with reserved ids, then loads them all in one transaction.

    Ids are drawn from a per-table pool refilled ``ID_BATCH`` at a time: one sequence query per commitment's
    milestones cost more than all the rest of the scale-100 build. Unused ids are left as a gap in the sequence.
    """

    ID_BATCH = 1000

    def __init__(self, connection: Connection, store: Store) -> None:
        self.connection = connection
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.tables: dict[str, Any] = {}
        self.stamp = store.stamp({"is_demo": True}, new=True)
        self.ids: dict[str, list[int]] = {}

    def new_ids(self, table: Any, count: int) -> list[int]:
        pool = self.ids.setdefault(table.name, [])
        if len(pool) < count:
            pool += bulk.reserve_ids(self.connection, table, max(count - len(pool), self.ID_BATCH))
        taken, self.ids[table.name] = pool[:count], pool[count:]
        return taken

    def add(self, table: Any, row: dict[str, Any], stamped: bool = True) -> None:
        self.tables[table.name] = table
        self.rows.setdefault(table.name, []).append({**row, **self.stamp} if stamped else row)

    def flush(self, order: list[Any]) -> None:
        for table in order:
            bulk.insert_rows(self.connection, table, self.rows.get(table.name, []))


_GRID_WEIGHTS = {
    Sector.GOVERNMENT: 4,
    Sector.CIVIL_SOCIETY: 4,
    Sector.GUARANTOR_BODY: 1.5,
    Sector.ACADEMIA: 1,
    Sector.PRIVATE: 0.5,
}
_GRID_SECTORS = [sector.value for sector in _GRID_WEIGHTS]
_GRID_GENDERS = [gender.value for gender in Gender]
_SECTOR_CUMULATIVE = list(accumulate(_GRID_WEIGHTS.values()))
_GENDER_CUMULATIVE = list(accumulate([52, 46, 2]))


def _grid(rng: random.Random, size: int) -> dict[tuple[str, str], int]:
    """Split ``size`` participants over sectors and genders, most in government and civil society.

    The draws are exactly those of ``rng.choices(sectors, weights)`` then ``rng.choices(genders, weights)`` per
    participant (one ``random()`` each, bisected over the cumulative weights), written out because this loop runs
    for every participant of every demo activity: at benchmark scale it decided how long the demo took to build.
    """
    draw = rng.random
    sector_total, sector_last = _SECTOR_CUMULATIVE[-1] + 0.0, len(_GRID_SECTORS) - 1
    gender_total, gender_last = _GENDER_CUMULATIVE[-1] + 0.0, len(_GRID_GENDERS) - 1
    grid: dict[tuple[str, str], int] = {}
    for _ in range(size):
        sector = _GRID_SECTORS[bisect(_SECTOR_CUMULATIVE, draw() * sector_total, 0, sector_last)]
        gender = _GRID_GENDERS[bisect(_GENDER_CUMULATIVE, draw() * gender_total, 0, gender_last)]
        key = (sector, gender)
        grid[key] = grid.get(key, 0) + 1
    return grid


def load_demo(
    store: Store, scale: int = 1, today: date | None = None, progress: Callable[[str], None] | None = None
) -> DemoSummary:
    """Fill the store with the demo set. Refuses to run twice (demo rows already there)."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    if has_demo_data(store):
        raise RuntimeError("the database already holds demo data")
    today = today or store.today()
    rng = random.Random(SEED)
    script = {code: list(moves) for code, moves in PHASE_SCRIPT.items()}
    say = progress or (lambda _message: None)

    def work(connection: Connection) -> DemoSummary:
        builder = _Builder(connection, store)
        states = {r.code: r for r in connection.execute(select(state)).all()}
        programme = sorted(code for code, r in states.items() if r.programme)
        extended = sorted(states) if scale >= 10 else programme
        _add_secretariats(builder, rng, extended, programme, today)
        say("secretariats")
        plans = _add_plans(connection, builder, rng, extended, programme, today, scale, script)
        say("plans and commitments")
        counts = _add_activity(connection, builder, rng, extended, today, scale, plans)
        say("sessions and workshops")
        _add_fellows(connection, builder, rng, plans)
        _assign_ids(
            builder,
            [participation, session_organization, agreement, phase_event, member, milestone_update, fellow],
        )
        builder.flush(
            [
                secretariat,
                phase_event,
                member,
                action_plan,
                commitment,
                commitment_ogp_value,
                commitment_sdg_target,
                milestone,
                milestone_update,
                workshop,
                dialogue_session,
                participation,
                session_organization,
                agreement,
                call_state,
                fellow,
            ]
        )
        _apply_phase_script(connection, store, today, script)
        reporting.publish_baseline(connection, today)
        store.audit(
            connection, SYSTEM, "load", "demo", None, after={"scale": scale, "today": today.isoformat()}
        )
        return DemoSummary(
            states=len(extended),
            sessions=counts["sessions"],
            workshops=counts["workshops"],
            agreements=counts["agreements"],
            commitments=len(builder.rows.get("commitment", [])),
            milestones=len(builder.rows.get("milestone", [])),
            milestone_updates=len(builder.rows.get("milestone_update", [])),
        )

    summary = store.write(work)
    add_demo_reports(store, today)
    say("reporting cycle")
    return summary


def _add_secretariats(
    builder: _Builder, rng: random.Random, extended: list[str], programme: list[str], today: date
) -> None:
    """Secretariats for the states outside the programme (scale ≥ 10), and demo phase events for all."""
    newcomers = [code for code in extended if code not in programme]
    ids = builder.new_ids(secretariat, len(newcomers))
    for sec_id, code in zip(ids, newcomers, strict=True):
        declared = today - timedelta(days=rng.randint(500, 700))
        builder.add(
            secretariat,
            {
                "id": sec_id,
                "state_code": code,
                "declaration_date": declared,
                "installation_date": declared + timedelta(days=90),
                "phase": 0,
                "phase_since": declared,
                "status_note": "",
                "source": None,
            },
        )
        builder.add(
            phase_event,
            {
                "state_code": code,
                "phase": 0,
                "changed_on": declared,
                "note": "",
                "recorded_by": "demo",
                "source": None,
                "id": None,
            },
        )
        for sector, names in ORGANISATIONS.items():
            builder.add(
                member,
                {
                    "id": None,
                    "state_code": code,
                    "organization": names[0],
                    "sector": sector.value,
                    "seat": "titular",
                    "active_from": declared,
                    "active_to": None,
                    "person_name": None,
                    "person_email": None,
                    "person_phone": None,
                    "source": None,
                },
            )


def _national_script(rng: random.Random) -> list[tuple[int, int]]:
    """Phase moves for states that join at national scale."""
    first = rng.randint(420, 600)
    return [
        (first, Phase.STL_INSTALLED),
        (first - 150, Phase.CO_CREATION),
        (first - 330, Phase.IMPLEMENTATION),
    ]


def _add_plans(
    connection: Connection,
    builder: _Builder,
    rng: random.Random,
    extended: list[str],
    programme: list[str],
    today: date,
    scale: int,
    script: dict[str, list[tuple[int, int]]],
) -> dict[str, list[tuple[int, date]]]:
    """Milestones for the real commitments; a demo plan (with commitments and milestones) where the script
    publishes one. Returns state -> [(commitment id, plan start)] for linking agreements and fellows."""
    plans: dict[str, list[tuple[int, date]]] = {code: [] for code in extended}
    real = connection.execute(
        select(commitment.c.id, commitment.c.title, action_plan.c.state_code, action_plan.c.published_on)
        .join(action_plan, action_plan.c.id == commitment.c.plan_id)
        .order_by(commitment.c.id)
    ).all()
    for row in real:
        start = row.published_on or today - timedelta(days=WINDOW_DAYS)
        targets, values = _aligned(row.title)
        _link(builder, row.id, targets, values)
        superseded = any(p == NEW_PLAN_AT_PHASE for _, p in script.get(row.state_code, []))
        _add_milestones(builder, rng, row.id, start, today, finished=superseded)
        plans[row.state_code].append((row.id, start))

    for code in extended:
        if code not in programme:
            script[code] = _national_script(rng)
        publication = [days for days, phase in script.get(code, []) if phase == NEW_PLAN_AT_PHASE]
        if not publication:
            continue
        published = today - timedelta(days=publication[0])
        existing = connection.execute(
            select(func.coalesce(func.max(action_plan.c.number), 0)).where(action_plan.c.state_code == code)
        ).scalar_one()
        plan_id = builder.new_ids(action_plan, 1)[0]
        builder.add(
            action_plan,
            {
                "id": plan_id,
                "state_code": code,
                "number": existing + 1,
                "period_start": published,
                "period_end": published + timedelta(days=730),
                "published_on": published,
                "link": None,
                "source": None,
            },
        )
        how_many = rng.randint(4, 6) * max(1, math.ceil(scale / 10))
        ids = builder.new_ids(commitment, how_many)
        for number, commitment_id in enumerate(ids, start=1):
            title, targets, values = DEMO_COMMITMENT_TOPICS[
                (number - 1 + int(code)) % len(DEMO_COMMITMENT_TOPICS)
            ]
            builder.add(
                commitment,
                {
                    "id": commitment_id,
                    "plan_id": plan_id,
                    "number": number,
                    "title": title,
                    "public_problem": "Problema público identificado en las mesas de cocreación (dato de demostración).",
                    "objective": "Objetivo acordado por el STL (dato de demostración).",
                    "lead_institution": ORGANISATIONS[Sector.GOVERNMENT][number % 3],
                    "co_responsible": ORGANISATIONS[Sector.CIVIL_SOCIETY][number % 3],
                    "start_date": published,
                    "end_date": published + timedelta(days=730),
                    "proactive": False,
                    "verifiable": None,
                    "ambition": None,
                    "early_results": None,
                    "source": None,
                },
            )
            _link(builder, commitment_id, list(targets), list(values))
            _add_milestones(builder, rng, commitment_id, published, today, finished=False)
            plans[code].append((commitment_id, published))
    return plans


def _link(builder: _Builder, commitment_id: int, targets: list[str], values: list[str]) -> None:
    for code in targets:
        builder.add(
            commitment_sdg_target, {"commitment_id": commitment_id, "target_code": code}, stamped=False
        )
    for value in values:
        builder.add(commitment_ogp_value, {"commitment_id": commitment_id, "ogp_value": value}, stamped=False)


def _add_milestones(
    builder: _Builder, rng: random.Random, commitment_id: int, start: date, today: date, finished: bool
) -> None:
    count = rng.randint(3, 5)
    ids = builder.new_ids(milestone, count)
    for number, milestone_id in enumerate(ids, start=1):
        due = start + timedelta(days=int(700 * number / count) - rng.randint(0, 60))
        weight = float(rng.choice([1, 1, 1, 2]))
        if finished or due < today - timedelta(days=90):
            progress = 100.0 if rng.random() < 0.8 else float(rng.choice([40, 60, 80]))
        elif due < today:
            progress = float(rng.choice([20, 50, 80, 100]))
        else:
            progress = float(rng.choice([0, 0, 10, 25, 50]))
        status = "complete" if progress == 100 else ("in_progress" if progress > 0 else "not_started")
        evidence = f"https://evidencia.example.org/demo/{commitment_id}/{number}" if progress > 0 else None
        if progress > 0 and rng.random() < 0.15 and status != "complete":
            evidence = None  # some claimed progress without evidence, as happens
        completed = min(due, today) if status == "complete" else None
        builder.add(
            milestone,
            {
                "id": milestone_id,
                "commitment_id": commitment_id,
                "number": number,
                "description": MILESTONE_STEPS[(number - 1) % len(MILESTONE_STEPS)],
                "responsible": None,
                "due_date": due,
                "weight": weight,
                "progress": progress,
                "status": status,
                "completed_on": completed,
                "evidence_url": evidence,
                "evidence_note": "",
            },
        )
        if progress > 0:
            # Reported over the milestone's share of the commitment's period (its slot after the previous one)
            # until it was completed (the last update on its completion day) or, for one still open, until its due
            # date or the day before today, whichever came first.
            end = max(completed if completed is not None else min(due, today - timedelta(days=1)), start)
            slot = start + timedelta(days=int(700 * (number - 1) / count))
            _add_updates(builder, number, milestone_id, progress, evidence, min(slot, end), end)


def _add_updates(
    builder: _Builder,
    number: int,
    milestone_id: int,
    progress: float,
    evidence: str | None,
    start: date,
    end: date,
) -> None:
    """A milestone's updates spread evenly over ``start``–``end``, the last (its progress now) on ``end``, at an
    office hour that varies by milestone and step without drawing on the random sequence (the rest of the demo
    keeps its draws)."""
    steps = list(dict.fromkeys(p for p in (25.0, 50.0, progress) if p <= progress))
    span = (end - start).days
    for index, value in enumerate(steps):
        day = start + timedelta(days=span * (index + 1) // len(steps))
        hour = 9 + (number * 3 + index * 2) % 8
        builder.add(
            milestone_update,
            {
                "id": None,
                "milestone_id": milestone_id,
                "recorded_at": datetime.combine(day, time(hour, (number * 17 + index * 11) % 60)),
                "recorded_by": "demo",
                "progress": value,
                "status": "complete" if value == 100 else "in_progress",
                "evidence_url": evidence if value == progress else None,
                "evidence_note": "",
                "note": "Avance reportado en sesión de seguimiento (demostración).",
                "is_demo": True,
            },
            stamped=False,
        )


def _add_activity(
    connection: Connection,
    builder: _Builder,
    rng: random.Random,
    extended: list[str],
    today: date,
    scale: int,
    plans: dict[str, list[tuple[int, date]]],
) -> dict[str, int]:
    counts = {"sessions": 0, "workshops": 0, "agreements": 0}
    for code in extended:
        stalled = code in STALLED_ON_PURPOSE
        sessions = (4 if stalled else 16) * scale
        workshops = (2 if stalled else 6) * scale
        latest = 120 if stalled else 2
        session_ids = builder.new_ids(dialogue_session, sessions)
        for sid in session_ids:
            held = today - timedelta(days=rng.randint(latest, WINDOW_DAYS))
            size = rng.randint(8, 40)
            grid = _grid(rng, size)
            builder.add(
                dialogue_session,
                {
                    "id": sid,
                    "state_code": code,
                    "held_on": held,
                    "session_type": rng.choice(list(SessionType)).value,
                    "modality": rng.choice(list(Modality)).value,
                    "phase": None,
                    "topics": rng.choice(WORKSHOP_TOOLS),
                    "consensus": rng.randint(2, 5),
                    "public_summary": "Sesión de diálogo multiactor del STL (dato de demostración).",
                    "summary": "Notas internas de la especialista (dato de demostración).",
                    "evidence_url": None,
                    "participant_total": size,
                },
            )
            for (sector, gender), n in grid.items():
                builder.add(
                    participation,
                    {
                        "id": None,
                        "session_id": sid,
                        "workshop_id": None,
                        "sector": sector,
                        "gender": gender,
                        "count": n,
                    },
                    stamped=False,
                )
            for position, sector in enumerate(rng.sample(list(ORGANISATIONS), 2)):
                builder.add(
                    session_organization,
                    {"id": None, "session_id": sid, "position": position, "name": ORGANISATIONS[sector][0]},
                    stamped=False,
                )
            agreements = rng.randint(1, 3)
            for position in range(agreements):
                due = held + timedelta(days=rng.randint(15, 90))
                if due < today - timedelta(days=30):
                    status = rng.choices(
                        ["done", "cancelled", "pending", "in_progress"], weights=[75, 5, 10, 10]
                    )[0]
                else:
                    status = rng.choice(["pending", "in_progress", "done"])
                linked = plans.get(code) or []
                builder.add(
                    agreement,
                    {
                        "id": None,
                        "session_id": sid,
                        "position": position,
                        "text": rng.choice(AGREEMENT_TEXTS),
                        "responsible_sector": rng.choice([Sector.GOVERNMENT, Sector.CIVIL_SOCIETY]).value,
                        "responsible_organization": None,
                        "due_date": due,
                        "status": status,
                        "closed_on": min(due, today) if status in ("done", "cancelled") else None,
                        "commitment_id": rng.choice(linked)[0] if linked and rng.random() < 0.3 else None,
                    },
                )
                counts["agreements"] += 1
        for wid in builder.new_ids(workshop, workshops):
            held = today - timedelta(days=rng.randint(latest, WINDOW_DAYS))
            size = rng.randint(10, 35)
            builder.add(
                workshop,
                {
                    "id": wid,
                    "state_code": code,
                    "held_on": held,
                    "title": f"Taller: {rng.choice(WORKSHOP_TOOLS)}",
                    "topic": rng.choice(WORKSHOP_TOOLS),
                    "modality": rng.choice(list(Modality)).value,
                    "hours": float(rng.choice([2, 3, 4, 6])),
                    "satisfaction": rng.randint(3, 5),
                    "public_summary": "Taller del Modelo de Acompañamiento (dato de demostración).",
                    "notes": "Observaciones internas (dato de demostración).",
                    "evidence_url": None,
                    "participant_total": size,
                },
            )
            for (sector, gender), n in _grid(rng, size).items():
                builder.add(
                    participation,
                    {
                        "id": None,
                        "session_id": None,
                        "workshop_id": wid,
                        "sector": sector,
                        "gender": gender,
                        "count": n,
                    },
                    stamped=False,
                )
        counts["sessions"] += sessions
        counts["workshops"] += workshops
    return counts


def _assign_ids(builder: _Builder, tables: list[Any]) -> None:
    """Give child rows collected without ids their keys in one reservation per table."""
    for table in tables:
        rows = [r for r in builder.rows.get(table.name, []) if r.get("id") is None]
        for row, new_id in zip(rows, builder.new_ids(table, len(rows)), strict=True):
            row["id"] = new_id


def _add_fellows(
    connection: Connection, builder: _Builder, rng: random.Random, plans: dict[str, list[tuple[int, date]]]
) -> None:
    """Per-state splits of the published call figures, and one project record per fellow (no names)."""
    # In a fixed order, so the random draws below fall the same way on every run and backend.
    calls = connection.execute(select(fellows_call).order_by(fellows_call.c.year)).all()
    for call in calls:
        codes = list(
            connection.execute(
                select(call_state.c.state_code)
                .where(call_state.c.call_id == call.id)
                .order_by(call_state.c.state_code)
            ).scalars()
        )
        if not codes or not call.fellows:
            continue
        fellows = [call.fellows // len(codes)] * len(codes)
        for i in range(call.fellows - sum(fellows)):
            fellows[i] += 1
        women_left = call.fellows_women if call.fellows_women is not None else call.fellows // 2
        for code, n in zip(codes, fellows, strict=True):
            women = min(n, women_left, math.ceil(n / 2))
            women_left -= women
            for k in range(n):
                linked = plans.get(code) or []
                submitted = rng.random() < 0.6
                builder.add(
                    fellow,
                    {
                        "id": None,
                        "call_id": call.id,
                        "state_code": code,
                        "gender": "women" if k < women else "men",
                        "project_title": f"Proyecto de agente de cambio {call.year}-{code}-{k + 1} (demostración)",
                        "submitted_to_stl": submitted,
                        "commitment_id": rng.choice(linked)[0]
                        if submitted and linked and rng.random() < 0.5
                        else None,
                    },
                )
        connection.execute(update(call_state).where(call_state.c.call_id == call.id).values(is_demo=False))


def _apply_phase_script(
    connection: Connection, store: Store, today: date, script: dict[str, list[tuple[int, int]]]
) -> None:
    rows: list[dict[str, Any]] = []
    for code, moves in script.items():
        for days, phase in moves:
            rows.append(
                {
                    "state_code": code,
                    "phase": int(phase),
                    "changed_on": today - timedelta(days=days),
                    "note": "Cambio de fase registrado en sesión del STL (demostración).",
                    "recorded_by": "demo",
                    "source": None,
                    **store.stamp({"is_demo": True}, new=True),
                }
            )
    for row, new_id in zip(rows, bulk.reserve_ids(connection, phase_event, len(rows)), strict=True):
        row["id"] = new_id
    bulk.insert_rows(connection, phase_event, rows)
    for code, moves in script.items():
        if moves:
            days, phase = moves[-1]
            connection.execute(
                update(secretariat)
                .where(secretariat.c.state_code == code)
                .values(phase=int(phase), phase_since=today - timedelta(days=days))
            )
