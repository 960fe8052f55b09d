-- Issue 9: the full-text half of knowledge retrieval matched every chunk against the question's words in all three
-- configurations at once (portuguese OR english OR simple). The 'simple' words keep stop words ("o", "de", "qual"),
-- so the index scan returned nearly every chunk and each was ranked: over 100,000 chunks one search took seconds.
-- Each chunk is matched only by its own document's language, one index-friendly branch per language; the result
-- is the same rows in the same order.
create or replace function switchboard_knowledge_matches(bases uuid[], q_pt tsquery, q_en tsquery, q_simple tsquery,
                                                         words_pt text[], words_en text[], max_rows integer)
    returns table (chunk_id uuid, rank real, matched integer, wanted integer)
    language sql stable security definer set search_path = pg_catalog, public
as $$
    with tenant as (select nullif(current_setting('switchboard.organization_id', true), '')::uuid as id),
    hits as (
        (select c.id, c.search_vector, 'portuguese'::text as cfg, ts_rank_cd(c.search_vector, q_pt, 1) as rank
         from tenant, knowledge_chunks c join knowledge_documents d on d.id = c.document_id
         where c.organization_id = tenant.id and c.knowledge_base_id = any(bases)
           and d.language = 'portuguese' and c.search_vector @@ q_pt
         order by rank desc limit max_rows)
        union all
        (select c.id, c.search_vector, 'english'::text, ts_rank_cd(c.search_vector, q_en, 1)
         from tenant, knowledge_chunks c join knowledge_documents d on d.id = c.document_id
         where c.organization_id = tenant.id and c.knowledge_base_id = any(bases)
           and d.language = 'english' and c.search_vector @@ q_en
         order by 4 desc limit max_rows)
        union all
        (select c.id, c.search_vector, 'simple'::text, ts_rank_cd(c.search_vector, q_simple, 1)
         from tenant, knowledge_chunks c join knowledge_documents d on d.id = c.document_id
         where c.organization_id = tenant.id and c.knowledge_base_id = any(bases)
           and d.language = 'simple' and c.search_vector @@ q_simple
         order by 4 desc limit max_rows)
    ),
    best as (select * from hits order by rank desc limit max_rows)
    select h.id, h.rank,
           (select count(*)::integer from unnest(case h.cfg when 'english' then words_en else words_pt end) w
             where w = any(tsvector_to_array(h.search_vector))),
           cardinality(case h.cfg when 'english' then words_en else words_pt end)
    from best h
    order by h.rank desc
$$;
