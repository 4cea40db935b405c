-- row policies on orders and users (one reaching profiles): root page, nested pages, counts, relation order by two keys through one join
-- parameters: 3
-- {
-- users(first: 3) { nodes { pk orders(first: 2, orderBy: [{ user: { email: DESC } }, { user: { username: ASC } }]) { totalCount nodes { pk user { pk } } } } }
-- }
select (
  select json_build_object('nodes', coalesce(json_agg(json_build_object('pk', "p0"."id", 'orders', (
            select json_build_object('totalCount', (
                select count(*)
                from "orders" as "c0"
                where "c0"."user_id" = "p0"."id" and ("c0"."total" >= $1::numeric and exists (
                    select 1
                    from "users" as "f0"
                    where "f0"."id" = "c0"."user_id" and exists (
                      select 1
                      from "profiles" as "f1"
                      where "f1"."user_id" = "f0"."id" and "f1"."last_name" ilike $3::text escape '\') and "f0"."is_active" = $2::boolean))), 'nodes', coalesce(json_agg(json_build_object('pk', "p1"."id", 'user', (
                      select json_build_object('pk', "t2"."id")
                      from "users" as "t2"
                      where "t2"."id" = "p1"."user_id" and exists (
                        select 1
                        from "profiles" as "f2"
                        where "f2"."user_id" = "t2"."id" and "f2"."last_name" ilike $3::text escape '\')
                      limit 1)) order by "p1"."__i" asc) filter (where "p1"."__i" <= 2), '[]'::json))
            from (
              select "p1_rows".*, row_number() over (order by "p1_rows"."__k0" DESC NULLS FIRST, "p1_rows"."__k1" ASC NULLS LAST, "p1_rows"."__k2" ASC NULLS LAST) as "__i"
              from (
                select "t1"."id", "t1"."user_id", "t1_user"."email" as "__k0", "t1_user"."username" as "__k1", "t1"."id" as "__k2"
                from "orders" as "t1"
                left join "users" as "t1_user" on "t1_user"."id" = "t1"."user_id" and exists (
                  select 1
                  from "profiles" as "f5"
                  where "f5"."user_id" = "t1_user"."id" and "f5"."last_name" ilike $3::text escape '\')
                where "t1"."user_id" = "p0"."id" and ("t1"."total" >= $1::numeric and exists (
                    select 1
                    from "users" as "f3"
                    where "f3"."id" = "t1"."user_id" and exists (
                      select 1
                      from "profiles" as "f4"
                      where "f4"."user_id" = "f3"."id" and "f4"."last_name" ilike $3::text escape '\') and "f3"."is_active" = $2::boolean))
                order by "t1_user"."email" DESC NULLS FIRST, "t1_user"."username" ASC NULLS LAST, "t1"."id" ASC NULLS LAST
                limit 2) as "p1_rows") as "p1")) order by "p0"."__i" asc) filter (where "p0"."__i" <= 3), '[]'::json))
  from (
    select "p0_rows".*, row_number() over (order by "p0_rows"."__k0" ASC NULLS LAST) as "__i"
    from (
      select "t0"."id", "t0"."id" as "__k0"
      from "users" as "t0"
      where exists (
        select 1
        from "profiles" as "f7"
        where "f7"."user_id" = "t0"."id" and "f7"."last_name" ilike $3::text escape '\')
      order by "t0"."id" ASC NULLS LAST
      limit 3) as "p0_rows") as "p0")::text as "data"
