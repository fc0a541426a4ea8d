"""The catalogue in the admin.

What editors work with is in the menu: treatments (with their facts as
inlines), body areas, side-effect kinds, conditions and sources. The facts
(session plans, treated areas, side effects, milestones) are reached through
their treatment, not listed on their own.
"""

from . import catalogue, treatments  # noqa: F401
