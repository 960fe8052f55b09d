-- Issue 11: knowledge full-text ranking moved in memory (knowledge.WordIndex, BM25 over the chunks' search_vector
-- lexemes); the SQL function that matched and ranked chunks in PostgreSQL is no longer called.
drop function if exists switchboard_knowledge_matches(uuid[], tsquery, tsquery, tsquery, text[], text[], integer);
