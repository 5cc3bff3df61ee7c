-- Units in a tree (市 -> 县区 -> 学校): a team has a parent; a removed team is kept for history.
alter table teams add column parent_id bigint references teams (id);
alter table teams add constraint teams_parent_not_self check (parent_id <> id);
alter table teams add column removed_at timestamptz;
create index teams_parent on teams (parent_id);

-- A message is routed by its sender: all units a userid belongs to.
create index members_userid on members (userid);

-- The unit a person chose with 切换 (one per person); absent: their primary unit by rule.
create table current_units (
    userid  text primary key check (userid <> ''),
    team_id bigint not null references teams (id),
    at      timestamptz not null
);
