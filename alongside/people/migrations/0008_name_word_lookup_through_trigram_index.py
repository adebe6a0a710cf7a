"""PostgreSQL: resolve typed words to name words through the trigram index (people/search.py,
`name_words_matching`).

people_nameword holds a few thousand words, so the planner reads it whole and computes
word_similarity for every word: 1.5-2 ms a typed word, against 0.2-0.3 ms through the
trigram index (bench/README.md). The planner's costs cannot see that, so the lookup is a
function that runs with sequential scans turned off, for its own statements only.
The function returns, for each typed word (numbered from 0), the name words similar to
it or containing it (`patterns`: the LIKE pattern, or null where a word is too short to
match inside a name word), the best `max_words` first, and, where `slips` says so, the
words that may be it with one slip (same first letter, length within one), flagged.
"""

from django.db import migrations

from alongside.lib.migrations import VendorSQL

LOOKUP = """
CREATE FUNCTION people_name_words_matching(
    typed text[], patterns text[], slips boolean[], max_words integer
) RETURNS TABLE (slot integer, word text, slip_only boolean)
LANGUAGE sql STABLE SET enable_seqscan = off AS $$
    SELECT (t.n - 1)::integer, m.word, false
    FROM unnest(typed, patterns) WITH ORDINALITY AS t (typed, pattern, n)
    CROSS JOIN LATERAL (
        SELECT w.word FROM people_nameword w
        WHERE w.word %> t.typed OR w.word LIKE t.pattern
        ORDER BY word_similarity(t.typed, w.word) DESC, w.word
        LIMIT max_words
    ) AS m
    UNION ALL
    SELECT (t.n - 1)::integer, w.word, true
    FROM unnest(typed, slips) WITH ORDINALITY AS t (typed, slip, n)
    JOIN people_nameword w
        ON left(w.word, 1) = left(t.typed, 1)
        AND length(w.word) BETWEEN length(t.typed) - 1 AND length(t.typed) + 1
    WHERE t.slip
$$;
"""
LOOKUP_BACKWARD = "DROP FUNCTION people_name_words_matching(text[], text[], boolean[], integer);"


class Migration(migrations.Migration):
    dependencies = [("people", "0007_timeline_entries")]

    operations = [VendorSQL("postgresql", LOOKUP, LOOKUP_BACKWARD)]
