"""
"On what matters to you": for each compared treatment, what its source
says on the points the reader ticked, and what it does not say.

Built from the table's short answers; it orders and summarises, and never
ranks treatments by a score the sources do not give.
"""

from dataclasses import dataclass, field

from treatments.formatting import in_sentence
from treatments.models import NOT_STATED


@dataclass
class Point:
    """One ticked priority, for one treatment."""

    label: str
    stated: list = field(default_factory=list)  # (question, short answer)
    silent: list = field(default_factory=list)  # questions its source leaves open
    not_applicable: list = field(default_factory=list)  # questions that do not apply

    @property
    def unsaid(self):
        """ "The source does not say: how it feels." """
        if not self.silent:
            return ""
        return f"{NOT_STATED}: {', '.join(q[:1].lower() + q[1:] for q in self.silent)}."


@dataclass
class Summary:
    treatment: object
    points: list


def summaries(table):
    """One Summary per treatment, over the groups of `table` that answer a
    ticked priority (the table puts those first)."""
    chosen = [group for group in table.groups if group.chosen]
    if not chosen:
        return []
    result = []
    for index, treatment in enumerate(table.treatments):
        points = []
        for group in chosen:
            point = Point(group.priority)
            for row in group.rows:
                answer = row.cells[index]
                if answer.not_applicable:
                    point.not_applicable.append(row.label)
                elif answer.silent:
                    point.silent.append(row.label)
                else:
                    # "Anaesthesia: local anaesthetic", mid-sentence.
                    point.stated.append((row.label, in_sentence(answer.text)))
            points.append(point)
        result.append(Summary(treatment, points))
    return result
