"""The closed vocabularies of DESIGN §3. Values are the stored codes; labels live in the i18n catalogues
under ``enum.<EnumName>.<value>`` so both languages read them from one place."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Role(StrEnum):
    PUBLIC = "public"
    SECRETARIAT = "secretariat"
    SPECIALIST = "specialist"
    WORKING_GROUP = "working_group"
    ADMIN = "admin"


class Phase(IntEnum):
    DECLARATION = 0
    SENSITISATION = 1
    STL_INSTALLED = 2
    CO_CREATION = 3
    IMPLEMENTATION = 4
    EVALUATION = 5


class Sector(StrEnum):
    CIVIL_SOCIETY = "civil_society"
    GOVERNMENT = "government"
    GUARANTOR_BODY = "guarantor_body"
    ACADEMIA = "academia"
    PRIVATE = "private"
    OTHER = "other"
    FACILITATOR = "facilitator"


class Gender(StrEnum):
    WOMEN = "women"
    MEN = "men"
    OTHER = "other"


class Seat(StrEnum):
    TITULAR = "titular"
    ALTERNATE = "alternate"


class Modality(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class SessionType(StrEnum):
    PLENARY = "plenary"
    WORKING_TABLE = "working_table"
    BILATERAL = "bilateral"
    PUBLIC_FORUM = "public_forum"
    FOLLOW_UP = "follow_up"


class AgreementStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class MilestoneStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    CANCELLED = "cancelled"


class Ambition(StrEnum):
    UNCLEAR = "unclear"
    MODEST = "modest"
    SUBSTANTIAL = "substantial"


class EarlyResults(StrEnum):
    """IRM's "did it open government?" scale."""

    WORSENED = "worsened"
    DID_NOT_CHANGE = "did_not_change"
    MARGINAL = "marginal"
    MAJOR = "major"
    OUTSTANDING = "outstanding"


class CompletionLevel(StrEnum):
    """OGP completion scale, derived from progress."""

    NOT_STARTED = "not_started"
    LIMITED = "limited"
    SUBSTANTIAL = "substantial"
    COMPLETE = "complete"


class OgpValue(StrEnum):
    ACCESS_TO_INFORMATION = "access_to_information"
    CIVIC_PARTICIPATION = "civic_participation"
    PUBLIC_ACCOUNTABILITY = "public_accountability"
    TECHNOLOGY_INNOVATION = "technology_innovation"


class EventKind(StrEnum):
    """Kinds of dated events in an exercise's history (reference timeline)."""

    DECLARATION = "declaration"
    STL_INSTALLATION = "stl_installation"
    FORUM = "forum"
    CONSULTATION = "consultation"
    TRAINING = "training"
    WORKING_TABLE = "working_table"
    ACTION_PLAN_PUBLICATION = "action_plan_publication"
    OTHER = "other"
