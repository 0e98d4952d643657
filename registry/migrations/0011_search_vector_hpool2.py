"""The pool's search reads a stored full-text vector (PostgreSQL only).

The search's condition is `name matches OR vector matches`, checked for each person the page
passes in name order until fifty match: with the vector an expression (migration 0010's
`resource_search` index), every person whose name does not match had theirs computed again
(the Swedish stemmer: about 4 µs each, 6 ms for a search page). Now the vector is a generated
column, computed when a person is saved, with its own GIN index in place of the expression
index; registry.filters.search_people reads the column. Django's models do not know the column
(it is written by PostgreSQL alone), and other databases (SQLite in development) search as
before. Adding the column rewrites the table (a few seconds for 200,000 people).
"""

from django.db import migrations

VECTOR = (
    "to_tsvector('swedish'::regconfig, COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')"
    " || ' ' || COALESCE(story, ''))"
)


def add_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE registry_experienceresource ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS ({VECTOR}) STORED"
    )
    schema_editor.execute("CREATE INDEX IF NOT EXISTS resource_search_vector ON registry_experienceresource USING gin (search_vector)")
    schema_editor.execute("DROP INDEX IF EXISTS resource_search")
    # Adding the column rewrote the table: its visibility map is empty, so the list's index-only
    # scans would read the table until autovacuum came. Outside a transaction (atomic = False).
    schema_editor.execute("VACUUM (ANALYZE) registry_experienceresource")


def drop_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS resource_search ON registry_experienceresource USING gin ({VECTOR})")
    schema_editor.execute("ALTER TABLE registry_experienceresource DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    atomic = False  # VACUUM runs outside a transaction

    dependencies = [
        ("registry", "0010_pool_indexes_hpool"),
    ]

    operations = [migrations.RunPython(add_vector, drop_vector, elidable=False)]
