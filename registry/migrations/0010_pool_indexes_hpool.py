"""The pool list at national scale (200,000 people).

- Its order gets the id as a last key, so its pages are stable, and the index on the order
  holds the id: a deep page skips its rows in the index alone (an index-only scan), and
  the page's rows are then read by id (registry.views.coordinator.PoolPaginator).
- On PostgreSQL the search has indexes: a GIN index on the Swedish full-text vector of
  name and story (the expression of registry.filters.SEARCH_VECTOR, to the letter) and
  trigram indexes for the part-of-a-name match (`icontains`, i.e. UPPER(...) LIKE). Other
  databases (SQLite in development) get none of these and search as before.
- The lists a person is filtered by (areas, perspectives, ways of contributing) get an index
  from the choice to the person, both ids in it: the filters' EXISTS and the count of a
  filtered pool read these indexes alone (on every database; the link tables are Django's
  own, so the indexes are made here, not in a model's Meta).
"""

from django.db import migrations, models

SEARCH_INDEXES = [
    (
        "resource_search",
        "USING gin (to_tsvector('swedish'::regconfig, COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')"
        " || ' ' || COALESCE(story, '')))",
    ),
    ("resource_first_name_trgm", "USING gin (UPPER(first_name::text) gin_trgm_ops)"),
    ("resource_last_name_trgm", "USING gin (UPPER(last_name::text) gin_trgm_ops)"),
]


LISTS = ["areas", "perspectives", "contribution_types"]


def _link_indexes(apps):
    """(name, table, the choice's column, the person's column) of each list's link table."""
    resource = apps.get_model("registry", "ExperienceResource")
    for name in LISTS:
        field = resource._meta.get_field(name)
        through = field.remote_field.through._meta
        chosen = through.get_field(field.m2m_reverse_field_name()).column
        person = through.get_field(field.m2m_field_name()).column
        yield f"resource_{name}_by_choice", through.db_table, chosen, person


def create_link_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for name, table, chosen, person in _link_indexes(apps):
        schema_editor.execute(f"CREATE INDEX {quote(name)} ON {quote(table)} ({quote(chosen)}, {quote(person)})")


def drop_link_indexes(apps, schema_editor):
    for name, *_rest in _link_indexes(apps):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, how in SEARCH_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON registry_experienceresource {how}")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _how in SEARCH_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_resource_by_name_hbench"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="experienceresource",
            options={
                "ordering": ["last_name", "first_name", "id"],
                "verbose_name": "erfarenhetsresurs",
                "verbose_name_plural": "erfarenhetsresurser",
            },
        ),
        migrations.RemoveIndex(model_name="experienceresource", name="resource_by_name"),
        migrations.AddIndex(
            model_name="experienceresource",
            index=models.Index(fields=["last_name", "first_name", "id"], name="resource_by_name_and_id"),
        ),
        migrations.RunPython(create_search_indexes, drop_search_indexes, elidable=False),
        migrations.RunPython(create_link_indexes, drop_link_indexes, elidable=False),
    ]
