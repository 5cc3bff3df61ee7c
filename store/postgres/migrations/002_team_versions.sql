-- A per-team change counter for each cached read (Store.Obligations, Store.Members). Triggers bump
-- it in the same transaction as every write, whoever makes it (any replica, the CLI, plain SQL),
-- so a reader that sees an unchanged counter knows its copy of the rows is still exact.
create table team_versions (
    team_id     bigint primary key, -- no foreign key: the bump must not wait on lockTeam's row locks
    obligations bigint not null default 0,
    members     bigint not null default 0
);

create function team_versions_bump(tid bigint) returns void language sql as $$
    insert into team_versions (team_id, obligations) values (tid, 1)
    on conflict (team_id) do update set obligations = team_versions.obligations + 1;
$$;

create function team_versions_bump_obligations() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        perform team_versions_bump(old.team_id);
    end if;
    if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.team_id <> old.team_id) then
        perform team_versions_bump(new.team_id);
    end if;
    return null;
end
$$;

create function team_versions_bump_completions() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        perform team_versions_bump(o.team_id) from obligations o where o.id = old.obligation_id;
    end if;
    if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.obligation_id <> old.obligation_id) then
        perform team_versions_bump(o.team_id) from obligations o where o.id = new.obligation_id;
    end if;
    return null;
end
$$;

create function team_versions_bump_members() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        insert into team_versions (team_id, members) values (old.team_id, 1)
        on conflict (team_id) do update set members = team_versions.members + 1;
    end if;
    if tg_op <> 'DELETE' then
        insert into team_versions (team_id, members) values (new.team_id, 1)
        on conflict (team_id) do update set members = team_versions.members + 1;
    end if;
    return null;
end
$$;

create trigger obligations_team_version after insert or update or delete on obligations
    for each row execute function team_versions_bump_obligations();
create trigger completions_team_version after insert or update or delete on completions
    for each row execute function team_versions_bump_completions();
create trigger members_team_version after insert or update or delete on members
    for each row execute function team_versions_bump_members();
