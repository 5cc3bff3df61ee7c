-- A unit holds its own plan of a year and, separately, the plans cascaded to it from the units
-- above (origin 'cascade:<id of the unit the import started at>'): re-importing one never
-- retires the other's obligations.
alter table plans add column origin text not null default '';
alter table plans drop constraint plans_team_id_year_key;
alter table plans add constraint plans_team_year_origin unique (team_id, year, origin);
