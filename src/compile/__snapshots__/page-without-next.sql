-- pages without hasNextPage read exactly n rows, no window; cursors at both ends, a nested page and a count-only connection
-- parameters: 0
-- {
-- products(first: 6, orderBy: [{ price: DESC }]) {
-- edges { cursor node { pk name } }
-- pageInfo { startCursor endCursor hasPreviousPage }
-- nodes { pk tags(first: 2) { nodes { name } } productTags: tags { totalCount } }
-- }
-- }
select json_build_object('edges', coalesce(json_agg(json_build_object('cursor', translate(encode(convert_to(json_build_array('71e30b23', "p0"."__k0"::text, "p0"."__k1"::text)::text, 'UTF8'), 'base64'), E'\n', ''), 'node', json_build_object('pk', "p0"."id", 'name', "p0"."name"))), '[]'::json), 'pageInfo', json_build_object('startCursor', translate(encode(convert_to((array_agg(json_build_array('71e30b23', "p0"."__k0"::text, "p0"."__k1"::text)::text))[1], 'UTF8'), 'base64'), E'\n', ''), 'endCursor', translate(encode(convert_to((array_agg(json_build_array('71e30b23', "p0"."__k0"::text, "p0"."__k1"::text)::text))[count(*)], 'UTF8'), 'base64'), E'\n', ''), 'hasPreviousPage', false), 'nodes', coalesce(json_agg(json_build_object('pk', "p0"."id", 'tags', (
          select json_build_object('nodes', coalesce(json_agg(json_build_object('name', "p1"."name")), '[]'::json))
          from (
            select "t1"."name", "t1"."id" as "__k0"
            from "tags" as "t1"
            where exists (
              select 1
              from "product_tags" as "t1_j"
              where "t1_j"."product_id" = "p0"."id" and "t1_j"."tag_id" = "t1"."id")
            order by "t1"."id" ASC NULLS LAST
            limit 2) as "p1"), 'productTags', json_build_object('totalCount', (
            select count(*)
            from "tags" as "c0"
            where exists (
              select 1
              from "product_tags" as "c0_j"
              where "c0_j"."product_id" = "p0"."id" and "c0_j"."tag_id" = "c0"."id"))))), '[]'::json))::text as "data"
from (
  select "t0"."id", "t0"."name", "t0"."price" as "__k0", "t0"."id" as "__k1"
  from "products" as "t0"
  order by "t0"."price" DESC NULLS FIRST, "t0"."id" DESC NULLS FIRST
  limit 6) as "p0"
