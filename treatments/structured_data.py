"""
schema.org structured data (JSON-LD) for treatment and comparison pages.

Each page is a MedicalWebPage (a CreativeWork, so it can cite its sources and
say when it was last reviewed) about one or more MedicalProcedure or
MedicalTherapy entities. What a source does not state is left out, never
filled in.
"""

from treatments.models import SessionPlan, Treatment

PROCEDURE_TYPES = {
    Treatment.Invasiveness.NON_INVASIVE: "https://schema.org/NoninvasiveProcedure",
    Treatment.Invasiveness.MINIMALLY_INVASIVE: "https://schema.org/PercutaneousProcedure",
}


def _without_blanks(data):
    return {key: value for key, value in data.items() if value not in ("", None, [])}


def treatment_entity(treatment, url):
    """The treatment as a MedicalProcedure, or a MedicalTherapy when it is a
    course of sessions; the "no treatment" baseline as its conditions."""
    if treatment.is_baseline:
        conditions = [
            {"@type": "MedicalCondition", "name": c.name}
            for c in treatment.conditions.all()
        ]
        return conditions[0] if len(conditions) == 1 else conditions
    plan = getattr(treatment, "session_plan", None)
    if plan is not None and plan.kind == SessionPlan.Kind.COURSE:
        kind = "MedicalTherapy"
    elif treatment.invasiveness == Treatment.Invasiveness.SURGICAL:
        kind = "SurgicalProcedure"
    else:
        kind = "MedicalProcedure"
    data = {
        "@type": kind,
        "name": treatment.name,
        "url": url,
        "description": treatment.summary,
        "bodyLocation": ", ".join(
            treated.body_area.name for treated in treatment.treated_areas.all()
        ),
        "howPerformed": treatment.what_happens,
        "procedureType": PROCEDURE_TYPES.get(treatment.invasiveness),
        "preparation": treatment.before_first_session,
        "followup": "; ".join(
            f"{milestone.get_kind_display()}: {milestone.wording}"
            for milestone in treatment.milestones.all()
        ),
    }
    if kind == "MedicalTherapy":
        data["adverseOutcome"] = [
            {"@type": "MedicalEntity", "name": side_effect.effect.name}
            for side_effect in treatment.side_effects.all()
        ]
    return _without_blanks(data)


def source_citation(source):
    return _without_blanks(
        {
            "@type": "CreativeWork",
            "name": source.title,
            "url": source.url,
            "author": {"@type": "Person", "name": source.author}
            if source.author
            else None,
            "publisher": (
                {"@type": "Organization", "name": source.publisher}
                if source.publisher
                else None
            ),
            "dateModified": source.date_updated.isoformat()
            if source.date_updated
            else None,
        }
    )


def medical_web_page(
    *, name, url, description, about, sources, last_reviewed, site_name
):
    return _without_blanks(
        {
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "name": name,
            "url": url,
            "description": description,
            "inLanguage": "en-GB",
            "isPartOf": {"@type": "WebSite", "name": site_name},
            "about": about,
            "lastReviewed": last_reviewed.isoformat() if last_reviewed else None,
            "citation": [source_citation(source) for source in sources],
        }
    )
