-- relation filters (to-one, to-many some, not) and every string operator, count only
-- parameters: 7
-- {
-- orders(filter: {
-- user: { username: { iexact: "Ada" }, email: { iendswith: ".ORG" } }
-- items: { some: { quantity: { gte: 2 } }, none: { product: { name: { startswith: "x" } } } }
-- not: { note: { isnull: true } }
-- or: [{ status: { in: [PAID, SHIPPED] } }, { total: { range: ["10", "20"] } }]
-- }) { totalCount }
-- }
select json_build_object('totalCount', (
    select count(*)
    from "orders" as "c0"
    where (exists (
        select 1
        from "users" as "f0"
        where "f0"."id" = "c0"."user_id" and ("f0"."username" ilike $1::text escape '\' and "f0"."email" ilike $2::text escape '\')) and (exists (
          select 1
          from "order_items" as "f1"
          where "f1"."order_id" = "c0"."id" and "f1"."quantity" >= $3::int4) and not exists (
          select 1
          from "order_items" as "f2"
          where "f2"."order_id" = "c0"."id" and exists (
            select 1
            from "products" as "f3"
            where "f3"."id" = "f2"."product_id" and "f3"."name" like $4::text escape '\'))) and ("c0"."status"::text = any($5::text[]) or ("c0"."total" between $6::numeric and $7::numeric)) and not coalesce("c0"."note" IS NULL, false))))::text as "data"
