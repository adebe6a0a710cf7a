"""PostgreSQL name search that stays fast with millions of people (people/search.py).

- people_nameword: every distinct word of every person's search_text, with a trigram
  index and an index on first letter and length, so a typed word (with a typo, or only
  part of it) is resolved to the name words it stands for by looking at a few thousand
  words rather than at every person. A trigger adds the words of each new or renamed
  person; words are never removed (a word nobody has any more simply finds nobody).
- person_name_words: a GIN index on the words of search_text, which finds the people
  with given name words and lets a search stop as soon as it has enough of them.
- The trigram index on the whole of search_text (0002) is no longer used and goes.

SQLite needs none of this: the same rules run row by row (see people/search.py).
"""

from django.db import migrations

from alongside.lib.migrations import VendorSQL

NAME_WORDS = """
CREATE TABLE people_nameword (word text PRIMARY KEY);
CREATE INDEX people_nameword_trgm ON people_nameword USING gin (word gin_trgm_ops);
CREATE INDEX people_nameword_start ON people_nameword (left(word, 1), length(word));
INSERT INTO people_nameword (word)
    SELECT DISTINCT unnest(string_to_array(search_text::text, ' ')) FROM people_person
    ON CONFLICT DO NOTHING;
CREATE FUNCTION people_nameword_add() RETURNS trigger AS $$
BEGIN
    INSERT INTO people_nameword (word)
        SELECT DISTINCT unnest(string_to_array(NEW.search_text::text, ' '))
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER person_name_words_known AFTER INSERT OR UPDATE OF search_text
    ON people_person FOR EACH ROW EXECUTE FUNCTION people_nameword_add();
"""
NAME_WORDS_BACKWARD = """
DROP TRIGGER person_name_words_known ON people_person;
DROP FUNCTION people_nameword_add();
DROP TABLE people_nameword;
"""


class Migration(migrations.Migration):
    dependencies = [("people", "0002_trigram_index_for_name_search")]

    operations = [
        VendorSQL("postgresql", NAME_WORDS, NAME_WORDS_BACKWARD),
        VendorSQL(
            "postgresql",
            "CREATE INDEX person_name_words ON people_person "
            "USING gin (string_to_array(search_text::text, ' '));",
            "DROP INDEX person_name_words;",
        ),
        VendorSQL(
            "postgresql",
            "DROP INDEX person_search_trgm;",
            "CREATE INDEX person_search_trgm ON people_person "
            "USING gin (search_text gin_trgm_ops);",
        ),
    ]
