-- planbot schema, version 1. Applied by jackc/tern under its advisory lock (postgres.Migrate).
-- Dates are `date`, instants `timestamptz`, money integer fen (bigint), never float.

create table teams (
    id           bigint generated always as identity primary key,
    name         text not null unique check (name <> ''),
    time_zone    text not null default 'Asia/Shanghai' check (time_zone <> ''),
    digest_cron  text not null default '30 8 * * *' check (digest_cron <> ''),
    group_target text not null default ''
);

create table members (
    team_id bigint not null references teams (id),
    userid  text not null check (userid <> ''),
    name    text not null default '',
    role    text not null check (role in ('staff', 'supervisor', 'admin')),
    active  boolean not null default true,
    primary key (team_id, userid)
);

create table plans (
    id           bigint generated always as identity primary key,
    team_id      bigint not null references teams (id),
    title        text not null,
    year         integer not null check (year between 1900 and 9999),
    source       text not null default '',
    content_hash text not null default '',
    imported_by  text not null,
    imported_at  timestamptz not null,
    unique (team_id, year),
    unique (team_id, id)
);

create table obligations (
    id              bigint generated always as identity primary key,
    team_id         bigint not null references teams (id),
    plan_id         bigint, -- null for obligations added by hand
    key             text not null check (key <> ''),
    title           text not null,
    period          text not null default '',
    rule            text not null check (rule in ('once', 'monthly', 'weekly', 'ongoing')),
    start_date      date,
    due             date not null,
    assignee        text check (assignee <> ''), -- WeCom userid, null when unassigned
    line            integer not null default 0 check (line >= 0),
    retired_at      timestamptz,
    before_tracking boolean not null default false,
    unique (team_id, key),
    -- an obligation's plan belongs to the same team
    foreign key (team_id, plan_id) references plans (team_id, id)
);

-- The agenda queries: a team's live obligations by due date.
create index obligations_agenda on obligations (team_id, due) where retired_at is null;
create index obligations_plan on obligations (plan_id);

-- Append-only: an undo sets undone_at/undone_by once; nothing is ever deleted.
create table completions (
    id            bigint generated always as identity primary key,
    obligation_id bigint not null references obligations (id),
    done_by       text not null check (done_by <> ''),
    done_at       timestamptz not null,
    note          text not null default '',
    undone_at     timestamptz,
    undone_by     text check (undone_by <> ''),
    check ((undone_at is null) = (undone_by is null))
);

-- At most one live completion per obligation: "done twice" is impossible.
create unique index completions_one_live on completions (obligation_id) where undone_at is null;

create function completions_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        raise exception 'completions are append-only';
    end if;
    if old.undone_at is not null
        or new.obligation_id <> old.obligation_id or new.done_by <> old.done_by
        or new.done_at <> old.done_at or new.note <> old.note then
        raise exception 'completions are append-only: only an undo may be recorded, once';
    end if;
    return new;
end
$$;

create trigger completions_append_only before update or delete on completions
    for each row execute function completions_append_only();

create table figures (
    id           bigint generated always as identity primary key,
    team_id      bigint not null references teams (id),
    programme    text not null check (programme <> ''),
    stage        text not null default '',
    term         text not null default '',
    year         integer not null,
    month        integer not null default 0 check (month between 0 and 12),
    persons      bigint not null default 0 check (persons >= 0),
    person_times bigint not null default 0 check (person_times >= 0),
    amount_fen   bigint not null default 0 check (amount_fen >= 0),
    recorded_by  text not null check (recorded_by <> ''),
    recorded_at  timestamptz not null,
    note         text not null default '',
    voided_by    text check (voided_by <> ''),
    voided_at    timestamptz,
    check ((voided_by is null) = (voided_at is null))
);

create index figures_team on figures (team_id, year, programme);

create table audit_log (
    id      bigint generated always as identity primary key,
    team_id bigint not null references teams (id),
    actor   text not null,
    action  text not null,
    target  text not null default '',
    before  jsonb,
    after   jsonb,
    at      timestamptz not null
);

create index audit_log_team on audit_log (team_id, id);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the audit log is append-only';
end
$$;

create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_append_only();

-- Inbound WeCom message ids, the de-duplication fallback when Redis is down.
create table inbound_messages (
    id      text primary key,
    seen_at timestamptz not null
);
