-- soft delete on users (lastLogin stands in for a deleted-at column): gone from pages, relations and counts
-- parameters: 1
-- {
-- orders(first: 2, filter: { user: { isStaff: false } }) { totalCount nodes { pk user { pk } } }
-- }
select json_build_object('totalCount', (
    select count(*)
    from "orders" as "c0"
    where exists (
      select 1
      from "users" as "f0"
      where "f0"."id" = "c0"."user_id" and "f0"."last_login" IS NULL and "f0"."is_staff" = $1::boolean)), 'nodes', coalesce(json_agg(json_build_object('pk', "p0"."id", 'user', (
          select json_build_object('pk', "t1"."id")
          from "users" as "t1"
          where "t1"."id" = "p0"."user_id" and "t1"."last_login" IS NULL))), '[]'::json))::text as "data"
from (
  select "t0"."id", "t0"."user_id", "t0"."created_at" as "__k0", "t0"."id" as "__k1"
  from "orders" as "t0"
  where exists (
    select 1
    from "users" as "f1"
    where "f1"."id" = "t0"."user_id" and "f1"."last_login" IS NULL and "f1"."is_staff" = $1::boolean)
  order by "t0"."created_at" DESC NULLS FIRST, "t0"."id" DESC NULLS FIRST
  limit 2) as "p0"
