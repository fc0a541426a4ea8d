"""
"On what matters to you": for each compared treatment, what its source
says on the points the reader ticked, and what it does not say.

Built from the table's short answers; it orders and summarises, and never
ranks treatments by a score the sources do not give.
"""

from dataclasses import dataclass, field

from .differences import lower_first


@dataclass
class Point:
    """One ticked priority, for one treatment."""

    label: str
    stated: list = field(default_factory=list)  # (question, short answer)
    silent: list = field(default_factory=list)  # questions its source leaves open
    silence: str = ""  # how those read: "Not stated in its source"
    not_applicable: list = field(default_factory=list)  # (question, why not)


@dataclass
class Summary:
    treatment: object
    points: list


def summaries(treatments, groups):
    """One Summary per treatment, over the groups that answer a ticked
    priority (the table puts those first)."""
    chosen = [group for group in groups if group.chosen]
    result = []
    for index, treatment in enumerate(treatments):
        points = []
        for group in chosen:
            point = Point(group.priority)
            for row in group.rows:
                answer = row.cells[index]
                if answer.not_applicable:
                    point.not_applicable.append((row.label, answer.not_applicable))
                elif answer.silent:
                    point.silent.append(row.label)
                    point.silence = answer.silence
                else:
                    # "Anaesthesia: local anaesthetic", mid-sentence.
                    point.stated.append((row.label, lower_first(answer.text)))
            points.append(point)
        result.append(Summary(treatment, points))
    return result
