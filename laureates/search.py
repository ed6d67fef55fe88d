"""French full-text search of the public cards, forgiving to whoever types the words.

Two ways to match, either is enough:

- PostgreSQL full-text search on ``Laureate.search_vector`` with the
  ``french_unaccent`` configuration (migration 0002): accents removed, then
  French stemming, so « education » finds « Éducation » and « jeunes » finds
  « jeune ». The words are read as a web search box reads them
  (``websearch_to_tsquery``): quotes, ``or`` and ``-`` work, anything else is
  a plain word, so no input is a syntax error.
- Trigram word similarity (pg_trgm) on the title, association and pitch,
  accents removed: the stemmer leaves « jeunesse » and « jeunes » apart, and
  people not at ease writing French mistype words; a close enough word counts.
"""

from collections.abc import Sequence

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db.models import F, Q, QuerySet, Value
from django.db.models.expressions import Combinable

from core.search import ImmutableUnaccent
from laureates.models import SEARCH_CONFIG, Laureate
from laureates.models import search_words as laureate_words

# Longer input is cut there: nobody types more, and a 2,000-character query costs for nothing.
MAX_QUERY_LENGTH = 200


def clean_query(value: str | None) -> str:
    """Return the words to search: no NUL byte, spaces folded, at most MAX_QUERY_LENGTH."""
    return " ".join((value or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH].strip()


def search_words(
    queryset: QuerySet,
    text: str,
    *,
    document: Combinable,
    words: ImmutableUnaccent,
    order: Sequence[str | Combinable],
) -> QuerySet:
    """Keep the rows matching ``text`` (full text on ``document`` or a close word of ``words``),
    best match first, then in ``order``.

    ``document`` is a search vector in the ``french_unaccent`` configuration
    (a stored column or an expression); ``words`` the text the close words
    are looked for in, accents removed by ``ImmutableUnaccent``. Each list
    searches only what its reader may see. A close word is pg_trgm's ``%>``
    operator (word similarity at least ``pg_trgm.word_similarity_threshold``,
    0.6 by default): a trigram index on ``words`` serves it,
    where a similarity compared in the WHERE read every row.
    """
    text = clean_query(text)
    if not text:
        return queryset
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    return (
        queryset.annotate(
            search_document=document,
            rank=SearchRank(F("search_document"), query),
            closeness=TrigramWordSimilarity(ImmutableUnaccent(Value(text)), words),
        )
        # ``words`` is an ImmutableUnaccent: the lookup takes the accents off the text too.
        .filter(Q(search_document=query) | TrigramWordSimilar(words, Value(text)))
        .order_by("-rank", "-closeness", *order)
    )


def search_laureates(queryset: QuerySet[Laureate], text: str) -> QuerySet[Laureate]:
    """Keep the cards matching ``text``, best match first, then in the public order."""
    return search_words(
        queryset,
        text,
        document=F("search_vector"),
        words=laureate_words(),
        order=["-year", "title", "id"],
    )
