-- Tests of AI agents before they talk to customers (issue 18): scenarios, runs (durable jobs) and their results.

create table agent_test_scenarios (
    id                     uuid primary key default gen_random_uuid(),
    organization_id        uuid not null references organizations(id) on delete cascade,
    ai_agent_id            uuid not null references ai_agents(id) on delete cascade,
    name                   text not null,
    -- customer turns, tool fixtures and expectations, as imported/exported (see rehearsal.ScenarioDefinition)
    definition             jsonb not null,
    -- a replayed conversation's original answers, tool calls and outcome; null for written scenarios
    baseline               jsonb,
    source_conversation_id uuid,
    created_at             timestamptz not null default now(),
    updated_at             timestamptz not null default now(),
    unique (organization_id, ai_agent_id, name)
);

create table agent_test_runs (
    id                uuid primary key default gen_random_uuid(),
    organization_id   uuid not null references organizations(id) on delete cascade,
    ai_agent_id       uuid not null references ai_agents(id) on delete cascade,
    -- the draft configuration under test (an AI agent patch); null: the agent as stored
    draft             jsonb,
    -- what runs, copied when the run was created so later edits do not change it: [{scenario_id, name, definition, baseline}]
    scenarios         jsonb not null,
    repeat            integer not null default 1 check (repeat between 1 and 10),
    publish_if_passed boolean not null default false,
    status            text not null default 'queued' check (status in ('queued', 'running', 'passed', 'failed', 'error')),
    total             integer not null,
    done              integer not null default 0,
    error             text,
    published_at      timestamptz,
    created_at        timestamptz not null default now(),
    started_at        timestamptz,
    finished_at       timestamptz
);
create index agent_test_runs_agent_idx on agent_test_runs (organization_id, ai_agent_id, created_at desc);

create table agent_test_results (
    id              uuid primary key default gen_random_uuid(),
    organization_id uuid not null references organizations(id) on delete cascade,
    run_id          uuid not null references agent_test_runs(id) on delete cascade,
    position        integer not null,
    attempt         integer not null,
    scenario_id     uuid,
    name            text not null,
    passed          boolean not null,
    -- turns (answers, tool calls, tokens, cost), checks, outcome and the difference to the baseline
    report          jsonb not null,
    tokens          bigint not null default 0,
    cost_usd        numeric,
    duration_ms     integer not null default 0,
    created_at      timestamptz not null default now(),
    unique (run_id, position, attempt)
);

do $$
declare t text;
begin
    foreach t in array array['agent_test_scenarios', 'agent_test_runs', 'agent_test_results']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy tenant_isolation on %I using (switchboard_visible(organization_id)) '
                       'with check (switchboard_visible(organization_id))', t);
    end loop;
end
$$;
