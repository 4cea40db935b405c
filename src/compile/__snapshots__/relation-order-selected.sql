-- page ordered by to-one relation columns that also selects those relations: read from the joins, not looked up again
-- parameters: 0
-- {
-- orders(first: 4, orderBy: [{ user: { username: ASC } }]) { nodes { pk total user { username profile { firstName } } } }
-- }
select json_build_object('nodes', coalesce(json_agg(json_build_object('pk', "p0"."id", 'total', "p0"."total"::text, 'user', json_build_object('username', "p0"."t0_user.username", 'profile', (
            select json_build_object('firstName', "t1"."first_name")
            from "profiles" as "t1"
            where "t1"."user_id" = "p0"."t0_user.id")))), '[]'::json))::text as "data"
from (
  select "t0"."id", "t0"."total", "t0_user"."username" as "t0_user.username", "t0_user"."id" as "t0_user.id", "t0_user"."username" as "__k0", "t0"."id" as "__k1"
  from "orders" as "t0"
  join "users" as "t0_user" on "t0_user"."id" = "t0"."user_id"
  order by "t0_user"."username" ASC NULLS LAST, "t0"."id" ASC NULLS LAST
  limit 4) as "p0"
