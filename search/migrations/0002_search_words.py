"""The words of the content, for correcting a searcher's typos before the full-text search.

A misspelt word ("regulatry", "peeple") is looked up here by trigram similarity (pg_trgm) in
one small query, and searched as the word found. Matching typos against every question's text
instead (`text %> word` in the search itself) read and rechecked thousands of rows for a word
whose trigrams are common, 70-160 ms at 20 guides. Words are added by triggers as content is
written and never removed: a word that has left the content corrects to nothing it can find.
PostgreSQL only, like the search documents (0001).
"""

from django.db import migrations

FORWARD = """
CREATE TABLE search_word (word text PRIMARY KEY);
CREATE INDEX search_word_trigram ON search_word USING gin (word gin_trgm_ops);

-- Words of four letters or more: shorter ones make too few trigrams to correct.
CREATE FUNCTION search_words_add(content text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO search_word (word)
    SELECT DISTINCT w FROM regexp_split_to_table(lower(content), '[^[:alpha:]]+') AS w
    WHERE length(w) >= 4
    ON CONFLICT DO NOTHING
$$;

CREATE FUNCTION search_words_of_new_questions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_words_add(string_agg(text || ' ' || guidance, ' ')) FROM new_rows;
    RETURN NULL;
END $$;
CREATE TRIGGER search_words_of_new_questions
    AFTER INSERT ON questions_question REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_words_of_new_questions();

CREATE FUNCTION search_words_of_question() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_words_add(NEW.text || ' ' || NEW.guidance);
    RETURN NULL;
END $$;
CREATE TRIGGER search_words_of_question
    AFTER UPDATE OF text, guidance ON questions_question
    FOR EACH ROW EXECUTE FUNCTION search_words_of_question();

CREATE FUNCTION search_words_of_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_words_add(NEW.name);
    RETURN NULL;
END $$;
CREATE TRIGGER search_words_of_tag
    AFTER INSERT OR UPDATE OF name ON questions_tag
    FOR EACH ROW EXECUTE FUNCTION search_words_of_tag();

CREATE FUNCTION search_words_of_round() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_words_add(NEW.title || ' ' || NEW.summary || ' ' || NEW.description);
    RETURN NULL;
END $$;
CREATE TRIGGER search_words_of_round
    AFTER INSERT OR UPDATE OF title, summary, description ON rounds_round
    FOR EACH ROW EXECUTE FUNCTION search_words_of_round();

CREATE FUNCTION search_words_of_guide() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_words_add(NEW.company || ' ' || NEW.role || ' ' || NEW.category || ' '
        || NEW.summary);
    RETURN NULL;
END $$;
CREATE TRIGGER search_words_of_guide
    AFTER INSERT OR UPDATE OF company, role, category, summary ON rounds_guide
    FOR EACH ROW EXECUTE FUNCTION search_words_of_guide();

SELECT search_words_add(string_agg(text || ' ' || guidance, ' ')) FROM questions_question;
SELECT search_words_add(string_agg(name, ' ')) FROM questions_tag;
SELECT search_words_add(string_agg(title || ' ' || summary || ' ' || description, ' '))
    FROM rounds_round;
SELECT search_words_add(string_agg(company || ' ' || role || ' ' || category || ' ' || summary, ' '))
    FROM rounds_guide;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS search_words_of_guide ON rounds_guide;
DROP TRIGGER IF EXISTS search_words_of_round ON rounds_round;
DROP TRIGGER IF EXISTS search_words_of_tag ON questions_tag;
DROP TRIGGER IF EXISTS search_words_of_question ON questions_question;
DROP TRIGGER IF EXISTS search_words_of_new_questions ON questions_question;
DROP FUNCTION IF EXISTS search_words_of_guide();
DROP FUNCTION IF EXISTS search_words_of_round();
DROP FUNCTION IF EXISTS search_words_of_tag();
DROP FUNCTION IF EXISTS search_words_of_question();
DROP FUNCTION IF EXISTS search_words_of_new_questions();
DROP FUNCTION IF EXISTS search_words_add(text);
DROP TABLE IF EXISTS search_word;
"""


def create_words(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def drop_words(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_documents")]

    operations = [migrations.RunPython(create_words, drop_words)]
