from reversion_compare.admin import CompareVersionAdmin


class ContentAdmin(CompareVersionAdmin):
    """Every change is kept, with who made it and when: each page has a
    history, any two versions can be compared, and an earlier one restored
    (a treatment with its side effects, milestones, areas and session plan,
    which it follows; see the models' reversion.register)."""

    history_latest_first = True
