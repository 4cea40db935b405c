-- row policies on orders and users (one reaching profiles): root page, nested pages, counts, relation order by two keys through one join
-- parameters: 3
-- {
-- users(first: 3) { nodes { pk orders(first: 2, orderBy: [{ user: { email: DESC } }, { user: { username: ASC } }]) { totalCount nodes { pk user { pk } } } } }
-- }
select json_build_object('nodes', coalesce(json_agg(json_build_object('pk', "p0"."id", 'orders', (
          select json_build_object('totalCount', (
              select count(*)
              from "orders" as "c0"
              where "c0"."user_id" = "p0"."id" and ("c0"."total" >= $2::numeric and exists (
                  select 1
                  from "users" as "f2"
                  where "f2"."id" = "c0"."user_id" and exists (
                    select 1
                    from "profiles" as "f3"
                    where "f3"."user_id" = "f2"."id" and "f3"."last_name" ilike $1::text escape '\') and "f2"."is_active" = $3::boolean))), 'nodes', coalesce(json_agg(json_build_object('pk', "p1"."id", 'user', (case when "p1"."t1_user.id" is null then null else json_build_object('pk', "p1"."t1_user.id") end))), '[]'::json))
          from (
            select "t1"."id", "t1_user"."id" as "t1_user.id", "t1_user"."email" as "__k0", "t1_user"."username" as "__k1", "t1"."id" as "__k2"
            from "orders" as "t1"
            left join "users" as "t1_user" on "t1_user"."id" = "t1"."user_id" and exists (
              select 1
              from "profiles" as "f0"
              where "f0"."user_id" = "t1_user"."id" and "f0"."last_name" ilike $1::text escape '\')
            where "t1"."user_id" = "p0"."id" and ("t1"."total" >= $2::numeric and exists (
                select 1
                from "users" as "f4"
                where "f4"."id" = "t1"."user_id" and exists (
                  select 1
                  from "profiles" as "f5"
                  where "f5"."user_id" = "f4"."id" and "f5"."last_name" ilike $1::text escape '\') and "f4"."is_active" = $3::boolean))
            order by "t1_user"."email" DESC NULLS FIRST, "t1_user"."username" ASC NULLS LAST, "t1"."id" ASC NULLS LAST
            limit 2) as "p1"))), '[]'::json))::text as "data"
from (
  select "t0"."id", "t0"."id" as "__k0"
  from "users" as "t0"
  where exists (
    select 1
    from "profiles" as "f6"
    where "f6"."user_id" = "t0"."id" and "f6"."last_name" ilike $1::text escape '\')
  order by "t0"."id" ASC NULLS LAST
  limit 3) as "p0"
