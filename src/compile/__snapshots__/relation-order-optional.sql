-- page ordered by an optional to-one relation (a left join) that also selects it: NULL when the join found no row
-- parameters: 0
-- {
-- users(first: 3, orderBy: [{ profile: { lastName: DESC } }]) { nodes { pk profile { firstName lastName } } }
-- }
select json_build_object('nodes', coalesce(json_agg(json_build_object('pk', "p0"."id", 'profile', (case when "p0"."t0_profile.user_id" is null then null else json_build_object('firstName', "p0"."t0_profile.first_name", 'lastName', "p0"."t0_profile.last_name") end))), '[]'::json))::text as "data"
from (
  select "t0"."id", "t0_profile"."first_name" as "t0_profile.first_name", "t0_profile"."last_name" as "t0_profile.last_name", "t0_profile"."user_id" as "t0_profile.user_id", "t0_profile"."last_name" as "__k0", "t0"."id" as "__k1"
  from "users" as "t0"
  left join "profiles" as "t0_profile" on "t0_profile"."user_id" = "t0"."id"
  order by "t0_profile"."last_name" DESC NULLS FIRST, "t0"."id" DESC NULLS FIRST
  limit 3) as "p0"
