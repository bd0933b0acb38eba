"""Full-text search documents for guides, rounds and questions, on PostgreSQL only.

Each table gets a `search_document` tsvector with a GIN index. Guides and rounds store a
generated column (every word they are searched by lives on their own row). A question is also
found by its tags, which live in another table, so its document is kept by triggers: on the
question's own columns, on its tag links and on a tag's rename. Weights: the question's text (A)
above its guidance (B) above its kind and tags (C); a guide's company and role above its category
above its summary; a round's title above its summary and description above its lists.

The columns are not model fields: SQLite has no tsvector, and a field that only one database can
hold would make the same models mean two schemas. search.postgres reads them by name.
SQLite does without (search.fallback); its databases are small.
"""

from django.db import migrations

# to_tsvector with an explicit configuration is immutable, as a generated column requires.
GUIDE_DOCUMENT = """
    setweight(to_tsvector('english'::regconfig, company || ' ' || role), 'A')
    || setweight(to_tsvector('english'::regconfig, category), 'B')
    || setweight(to_tsvector('english'::regconfig, summary), 'C')
"""
ROUND_DOCUMENT = """
    setweight(to_tsvector('english'::regconfig, title), 'A')
    || setweight(to_tsvector('english'::regconfig, summary || ' ' || description), 'B')
    || setweight(to_tsvector('english'::regconfig, what_interviewers_look_for || ' '
        || evaluation_criteria || ' ' || preparation_tips || ' ' || rejection_reasons), 'C')
"""

FORWARD = f"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE rounds_guide ADD COLUMN search_document tsvector
    GENERATED ALWAYS AS ({GUIDE_DOCUMENT}) STORED;
CREATE INDEX guide_search_document ON rounds_guide USING gin (search_document);

ALTER TABLE rounds_round ADD COLUMN search_document tsvector
    GENERATED ALWAYS AS ({ROUND_DOCUMENT}) STORED;
CREATE INDEX round_search_document ON rounds_round USING gin (search_document);

-- A question's document: its text, its guidance, then its kind ("system_design" reads as
-- "system design") and the names of its tags.
CREATE FUNCTION question_search_document(q_id bigint, q_text text, q_guidance text, q_kind text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('english'::regconfig, q_text), 'A')
        || setweight(to_tsvector('english'::regconfig, q_guidance), 'B')
        || setweight(to_tsvector('english'::regconfig, replace(q_kind, '_', ' ') || ' ' || coalesce(
            (SELECT string_agg(t.name, ' ') FROM questions_question_tags qt
             JOIN questions_tag t ON t.id = qt.tag_id WHERE qt.question_id = q_id), '')), 'C')
$$;

ALTER TABLE questions_question ADD COLUMN search_document tsvector;

CREATE FUNCTION question_search_document_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := question_search_document(NEW.id, NEW.text, NEW.guidance, NEW.kind);
    RETURN NEW;
END $$;
CREATE TRIGGER question_search_document_row
    BEFORE INSERT OR UPDATE OF text, guidance, kind ON questions_question
    FOR EACH ROW EXECUTE FUNCTION question_search_document_row();

-- Tag links change in bulk (an import, the bench's generator): one UPDATE per statement.
CREATE FUNCTION question_search_document_links() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE questions_question q
    SET search_document = question_search_document(q.id, q.text, q.guidance, q.kind)
    WHERE q.id IN (SELECT question_id FROM changed_links);
    RETURN NULL;
END $$;
CREATE TRIGGER question_search_document_linked
    AFTER INSERT ON questions_question_tags REFERENCING NEW TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION question_search_document_links();
CREATE TRIGGER question_search_document_unlinked
    AFTER DELETE ON questions_question_tags REFERENCING OLD TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION question_search_document_links();

CREATE FUNCTION question_search_document_tag_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE questions_question q
    SET search_document = question_search_document(q.id, q.text, q.guidance, q.kind)
    WHERE q.id IN (SELECT question_id FROM questions_question_tags WHERE tag_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER question_search_document_tag_renamed
    AFTER UPDATE OF name ON questions_tag
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION question_search_document_tag_renamed();

UPDATE questions_question
SET search_document = question_search_document(id, text, guidance, kind);
CREATE INDEX question_search_document ON questions_question USING gin (search_document);
"""

BACKWARD = """
DROP TRIGGER IF EXISTS question_search_document_tag_renamed ON questions_tag;
DROP TRIGGER IF EXISTS question_search_document_unlinked ON questions_question_tags;
DROP TRIGGER IF EXISTS question_search_document_linked ON questions_question_tags;
DROP TRIGGER IF EXISTS question_search_document_row ON questions_question;
DROP FUNCTION IF EXISTS question_search_document_tag_renamed();
DROP FUNCTION IF EXISTS question_search_document_links();
DROP FUNCTION IF EXISTS question_search_document_row();
ALTER TABLE questions_question DROP COLUMN IF EXISTS search_document;
DROP FUNCTION IF EXISTS question_search_document(bigint, text, text, text);
ALTER TABLE rounds_round DROP COLUMN IF EXISTS search_document;
ALTER TABLE rounds_guide DROP COLUMN IF EXISTS search_document;
"""


def create_documents(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def drop_documents(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    # The first migrations that made every column read here, and no later ones: migrating the
    # questions app back and forth (tests/practice/test_move_migration.py) leaves search alone.
    dependencies = [
        ("questions", "0001_initial"),
        ("rounds", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_documents, drop_documents)]
