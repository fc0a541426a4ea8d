"""Asserting that the database itself refuses a record, and why."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import UniqueConstraint


def refused_by(model, rule, create):
    """Assert the database refuses `create()` because of `rule`: the name of
    one of `model`'s constraints, or a field whose values are unique.

    SQLite and PostgreSQL both name a CHECK constraint in their message.
    For a unique rule PostgreSQL names the constraint (a unique field's is
    <table>_<column>_key) and SQLite names its columns. Returns the message.
    """
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        create()
    message = str(error.value)
    table = model._meta.db_table
    constraints = {
        constraint.name: constraint for constraint in model._meta.constraints
    }
    if rule in constraints:
        unique_fields = (
            constraints[rule].fields
            if isinstance(constraints[rule], UniqueConstraint)
            else None
        )
        expected = rule
    else:
        field = model._meta.get_field(rule)
        assert field.unique, (
            f"{model.__name__}.{rule} is neither a constraint nor unique"
        )
        unique_fields = [rule]
        expected = f"{table}_{field.column}_key"
    if unique_fields and connection.vendor == "sqlite":
        columns = [model._meta.get_field(name).column for name in unique_fields]
        expected = "UNIQUE constraint failed: " + ", ".join(
            f"{table}.{column}" for column in columns
        )
    assert expected in message, f"refused, but not by {rule}: {message}"
    return message
