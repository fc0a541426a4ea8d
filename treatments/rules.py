"""
Range and count rules, declared once and enforced twice.

A model lists its ranges as (low, high) field pairs. `range_constraints()`
turns them into named database constraints (low <= high, neither negative),
and `RangeRulesMixin.clean()` repeats the same rules for the admin, with the
message on the field an editor has to change.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q


def non_negative_constraint(field):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
        name=f"%(app_label)s_%(class)s_{field}_not_negative",
        violation_error_message=f"{field} cannot be negative.",
    )


def range_constraint(low, high):
    return models.CheckConstraint(
        condition=(
            Q(**{f"{low}__isnull": True})
            | Q(**{f"{high}__isnull": True})
            | Q(**{f"{low}__lte": F(high)})
        ),
        name=f"%(app_label)s_%(class)s_{low}_lte_{high}",
        violation_error_message=f"{low} must not be more than {high}.",
    )


def range_constraints(*pairs):
    """Named constraints for each (low, high) pair: both >= 0, low <= high."""
    fields = dict.fromkeys(field for pair in pairs for field in pair)
    return [
        *(non_negative_constraint(field) for field in fields),
        *(range_constraint(low, high) for low, high in pairs),
    ]


class RangeRulesMixin:
    """Repeat `range_constraints(*ranges)` in clean(), with per-field messages."""

    ranges = ()

    def clean(self):
        super().clean()
        errors = {}
        for low, high in self.ranges:
            for name in (low, high):
                value = getattr(self, name)
                if value is not None and value < 0 and name not in errors:
                    errors[name] = ValidationError(
                        "This cannot be negative.", code="negative"
                    )
            low_value, high_value = getattr(self, low), getattr(self, high)
            if (
                low_value is not None
                and high_value is not None
                and low_value > high_value
                and high not in errors
            ):
                low_label = self._meta.get_field(low).verbose_name
                errors[high] = ValidationError(
                    "This must not be less than the %(low_label)s (%(low)s).",
                    code="range",
                    params={"low_label": low_label, "low": low_value},
                )
        if errors:
            raise ValidationError(errors)
