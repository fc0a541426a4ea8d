"""
The treatment catalogue: a module per kind of record.

Every fact shown on the site cites the Source it comes from and where in that
source it sits (`CitedModel`). A text left blank means the source does not
say; templates show `NOT_STATED` for it, never a guess.
"""

from .base import NOT_STATED, NOT_STATED_CHOICE, CitedModel
from .body_areas import BodyArea
from .conditions import Condition, ConditionFact
from .counts import CatalogueCount
from .facts import Effect, Milestone, SideEffect, TreatedArea
from .search import SearchEntry
from .session_plans import SessionPlan
from .sources import Source
from .treatments import Treatment

__all__ = [
    "NOT_STATED",
    "NOT_STATED_CHOICE",
    "BodyArea",
    "CatalogueCount",
    "CitedModel",
    "Condition",
    "ConditionFact",
    "Effect",
    "Milestone",
    "SearchEntry",
    "SessionPlan",
    "SideEffect",
    "Source",
    "TreatedArea",
    "Treatment",
]
