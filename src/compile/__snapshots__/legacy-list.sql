-- deprecated legacy list with orderBy, limit and offset, and a nested legacy list
-- parameters: 2
-- { users(orderBy: [{ username: DESC }], limit: 29, offset: 41) { pk username orders(orderBy: [{ total: ASC }], limit: 3) { pk total } } }
select coalesce(json_agg(json_build_object('pk', "p0"."id", 'username', "p0"."username", 'orders', (
        select coalesce(json_agg(json_build_object('pk', "p1"."id", 'total', "p1"."total"::text)), '[]'::json)
        from (
          select "t1"."id", "t1"."total", "t1"."total" as "__k0", "t1"."id" as "__k1"
          from "orders" as "t1"
          where "t1"."user_id" = "p0"."id"
          order by "t1"."total" ASC NULLS LAST, "t1"."id" ASC NULLS LAST
          limit 3 offset $1::int) as "p1"))), '[]'::json)::text as "data"
from (
  select "t0"."id", "t0"."username", "t0"."username" as "__k0", "t0"."id" as "__k1"
  from "users" as "t0"
  order by "t0"."username" DESC NULLS FIRST, "t0"."id" DESC NULLS FIRST
  limit 29 offset $2::int) as "p0"
