"""Full-text search on PostgreSQL (issue 14): a narrow table of each listed
treatment's words, kept by triggers, with GIN indexes for the words and for
trigrams of the name (see treatments/models/search.py). On SQLite the table
is there, so that code going through every model finds it, but stays empty:
the search there matches substrings."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# The catalogue lists published treatments that are not baselines
# (TreatmentQuerySet.catalogue()); the name weighs most, then the summary,
# then how it works. "english" is SEARCH_CONFIG in treatments/models/search.py.
KEEP = """
CREATE INDEX treatments_searchentry_vector_idx
    ON treatments_searchentry USING gin (vector);
-- GiST, not GIN: it finds the names nearest a misspelling, nearest first.
CREATE INDEX treatments_searchentry_name_trgm_idx
    ON treatments_searchentry USING gist (name gist_trgm_ops);

CREATE FUNCTION treatments_searchentry_words(treatment treatments_treatment)
RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
    SELECT setweight(to_tsvector('english', treatment.name), 'A')
        || setweight(to_tsvector('english', treatment.summary), 'B')
        || setweight(to_tsvector('english', treatment.how_it_works), 'C')
$$;

CREATE FUNCTION treatments_searchentry_keep() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM treatments_searchentry WHERE treatment_id = OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE')
            AND NEW.status = 'published' AND NOT NEW.is_baseline THEN
        INSERT INTO treatments_searchentry (treatment_id, name, vector)
        VALUES (NEW.id, NEW.name, treatments_searchentry_words(NEW));
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION treatments_searchentry_clear() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM treatments_searchentry;
    RETURN NULL;
END
$$;

CREATE TRIGGER treatments_searchentry_insert
    AFTER INSERT ON treatments_treatment
    FOR EACH ROW EXECUTE FUNCTION treatments_searchentry_keep();
-- Django's save() writes every column: only a change to what the entry
-- holds, or to whether the catalogue lists the treatment, rewrites it.
CREATE TRIGGER treatments_searchentry_update
    AFTER UPDATE ON treatments_treatment
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name
        OR OLD.summary IS DISTINCT FROM NEW.summary
        OR OLD.how_it_works IS DISTINCT FROM NEW.how_it_works
        OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.is_baseline IS DISTINCT FROM NEW.is_baseline
        OR OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION treatments_searchentry_keep();
CREATE TRIGGER treatments_searchentry_delete
    AFTER DELETE ON treatments_treatment
    FOR EACH ROW EXECUTE FUNCTION treatments_searchentry_keep();
-- manage.py flush and the tests empty tables with TRUNCATE, which fires
-- no row triggers.
CREATE TRIGGER treatments_searchentry_truncate
    AFTER TRUNCATE ON treatments_treatment
    FOR EACH STATEMENT EXECUTE FUNCTION treatments_searchentry_clear();

INSERT INTO treatments_searchentry (treatment_id, name, vector)
SELECT id, name, treatments_searchentry_words(treatments_treatment)
FROM treatments_treatment
WHERE status = 'published' AND NOT is_baseline;
"""

STOP = """
DROP TRIGGER treatments_searchentry_insert ON treatments_treatment;
DROP TRIGGER treatments_searchentry_update ON treatments_treatment;
DROP TRIGGER treatments_searchentry_delete ON treatments_treatment;
DROP TRIGGER treatments_searchentry_truncate ON treatments_treatment;
DROP FUNCTION treatments_searchentry_keep();
DROP FUNCTION treatments_searchentry_clear();
DROP FUNCTION treatments_searchentry_words(treatments_treatment);
"""


class TrigramExtensionOnPostgreSQL(TrigramExtension):
    """Django's operation skips other databases going forwards, but going
    backwards asks SQLite about pg_extension."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create(apps, schema_editor):
    # The model is not managed (no fixtures, no backups): made here.
    schema_editor.create_model(apps.get_model("treatments", "SearchEntry"))
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(KEEP, params=None)  # several statements


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STOP, params=None)
    schema_editor.delete_model(apps.get_model("treatments", "SearchEntry"))


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0014_area_treatment_counts"),
    ]

    operations = [
        TrigramExtensionOnPostgreSQL(),
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "treatment",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="treatments.treatment",
                    ),
                ),
                ("name", models.CharField(max_length=120)),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "db_table": "treatments_searchentry",
                "default_manager_name": "not_content",
                "managed": False,
            },
        ),
        migrations.RunPython(create, drop),
    ]
