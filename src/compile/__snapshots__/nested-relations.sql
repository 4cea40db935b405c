-- to-one, one-to-one, to-many and many-to-many relations nested in one root field
-- parameters: 0
-- {
-- orders(first: 3, orderBy: [{ total: DESC }]) {
-- nodes {
-- pk total createdAt
-- user { username profile { firstName birthDate } }
-- items(first: 2) { totalCount nodes { quantity unitPrice product { name weightGrams attributes tags(first: 4) { nodes { name } } category { name parent { name } } } } }
-- }
-- }
-- }
select json_build_object('nodes', coalesce(json_agg(json_build_object('pk', "p0"."id", 'total', "p0"."total"::text, 'createdAt', to_char("p0"."created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'user', (
          select json_build_object('username', "t1"."username", 'profile', (
              select json_build_object('firstName', "t2"."first_name", 'birthDate', (case when "t2"."birth_date" >= '0001-01-01' and "t2"."birth_date" < '10000-01-01' then to_json("t2"."birth_date") else to_json(to_char("t2"."birth_date", 'YYYY-MM-DD')) end))
              from "profiles" as "t2"
              where "t2"."user_id" = "t1"."id"))
          from "users" as "t1"
          where "t1"."id" = "p0"."user_id"), 'items', (
          select json_build_object('totalCount', (
              select count(*)
              from "order_items" as "c0"
              where "c0"."order_id" = "p0"."id"), 'nodes', coalesce(json_agg(json_build_object('quantity', "p1"."quantity", 'unitPrice', "p1"."unit_price"::text, 'product', (
                    select json_build_object('name', "t4"."name", 'weightGrams', "t4"."weight_grams"::text, 'attributes', "t4"."attributes", 'tags', (
                        select json_build_object('nodes', coalesce(json_agg(json_build_object('name', "p2"."name")), '[]'::json))
                        from (
                          select "t5"."name", "t5"."id" as "__k0"
                          from "tags" as "t5"
                          where exists (
                            select 1
                            from "product_tags" as "t5_j"
                            where "t5_j"."product_id" = "t4"."id" and "t5_j"."tag_id" = "t5"."id")
                          order by "t5"."id" ASC NULLS LAST
                          limit 4) as "p2"), 'category', (
                        select json_build_object('name', "t6"."name", 'parent', (
                            select json_build_object('name', "t7"."name")
                            from "categories" as "t7"
                            where "t7"."id" = "t6"."parent_id"))
                        from "categories" as "t6"
                        where "t6"."id" = "t4"."category_id"))
                    from "products" as "t4"
                    where "t4"."id" = "p1"."product_id"))), '[]'::json))
          from (
            select "t3"."quantity", "t3"."unit_price", "t3"."product_id", "t3"."id" as "__k0"
            from "order_items" as "t3"
            where "t3"."order_id" = "p0"."id"
            order by "t3"."id" ASC NULLS LAST
            limit 2) as "p1"))), '[]'::json))::text as "data"
from (
  select "t0"."id", "t0"."total", "t0"."created_at", "t0"."user_id", "t0"."total" as "__k0", "t0"."id" as "__k1"
  from "orders" as "t0"
  order by "t0"."total" DESC NULLS FIRST, "t0"."id" DESC NULLS FIRST
  limit 3) as "p0"
