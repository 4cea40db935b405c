-- root connection paged backward with last and a before cursor, default ordering
-- parameters: 4
-- query ($before: String) {
-- orders(last: 23, before: $before) { nodes { pk status total } pageInfo { hasNextPage hasPreviousPage startCursor } }
-- }
select json_build_object('nodes', coalesce(json_agg(json_build_object('pk', "p0"."id", 'status', "p0"."status", 'total', "p0"."total"::text) order by "p0"."__i" desc) filter (where "p0"."__i" <= 23), '[]'::json), 'pageInfo', json_build_object('hasNextPage', exists (
      select 1
      from "orders" as "c0"
      where (("c0"."created_at", "c0"."id") <= ($1, $2))), 'hasPreviousPage', count(*) > 23, 'startCursor', translate(encode(convert_to((array_agg(json_build_array('4db89c88', "p0"."__k0"::text, "p0"."__k1"::text)::text order by "p0"."__i" desc) filter (where "p0"."__i" <= 23))[1], 'UTF8'), 'base64'), E'\n', '')))::text as "data"
from (
  select "p0_rows".*, row_number() over (order by "p0_rows"."__k0" ASC NULLS LAST, "p0_rows"."__k1" ASC NULLS LAST) as "__i"
  from (
    select "t0"."id", "t0"."status", "t0"."total", "t0"."created_at" as "__k0", "t0"."id" as "__k1"
    from "orders" as "t0"
    where (("t0"."created_at", "t0"."id") > ($3, $4))
    order by "t0"."created_at" ASC NULLS LAST, "t0"."id" ASC NULLS LAST
    limit 24) as "p0_rows") as "p0"
