# French full-text search of the public cards: a text search configuration that
# removes accents before French stemming, and a search vector PostgreSQL computes
# itself (a generated column), so that no code has to keep it up to date.

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

CREATE_CONFIG = """
CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
ALTER TEXT SEARCH CONFIGURATION french_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
"""
DROP_CONFIG = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_postgres_extensions"),  # the unaccent extension
        ("laureates", "0002_cards"),
    ]

    operations = [
        migrations.RunSQL(CREATE_CONFIG, DROP_CONFIG),
        migrations.RemoveIndex(model_name="laureate", name="laureate_search"),
        migrations.RemoveField(model_name="laureate", name="search_vector"),
        migrations.AddField(
            model_name="laureate",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.SearchVector(
                                "title", config="french_unaccent", weight="A"
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                "pitch", "association_name", config="french_unaccent", weight="B"
                            ),
                            django.contrib.postgres.search.SearchConfig("french_unaccent"),
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "description", config="french_unaccent", weight="C"
                        ),
                        django.contrib.postgres.search.SearchConfig("french_unaccent"),
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector(
                        "partners", config="french_unaccent", weight="D"
                    ),
                    django.contrib.postgres.search.SearchConfig("french_unaccent"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="laureate",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="laureate_search"
            ),
        ),
    ]
