-- filtered, ranged, newest-first page: ILIKE on the bare column, a range, a boolean, no window over matches
-- parameters: 4
-- {
-- users(first: 20, filter: { isActive: true, username: { icontains: "4_%" }, createdAt: { gte: "2023-01-01", lt: "2024-01-01" } }, orderBy: [{ createdAt: DESC }]) {
-- nodes { pk username } pageInfo { hasNextPage endCursor }
-- }
-- }
select json_build_object('nodes', coalesce(json_agg(json_build_object('pk', "p0"."id", 'username', "p0"."username")) filter (where "p0"."__i" <= 20), '[]'::json), 'pageInfo', json_build_object('hasNextPage', count(*) > 20, 'endCursor', translate(encode(convert_to((array_agg(json_build_array('4db89c88', "p0"."__k0"::text, "p0"."__k1"::text)::text) filter (where "p0"."__i" <= 20))[least(count(*), 20)], 'UTF8'), 'base64'), E'\n', '')))::text as "data"
from (
  select "p0_rows".*, row_number() over (order by "p0_rows"."__k0" DESC NULLS FIRST, "p0_rows"."__k1" DESC NULLS FIRST) as "__i"
  from (
    select "t0"."id", "t0"."username", "t0"."created_at" as "__k0", "t0"."id" as "__k1"
    from "users" as "t0"
    where ("t0"."username" like $1::text escape '\' and "t0"."is_active" = $2::boolean and ("t0"."created_at" >= $3::timestamptz and "t0"."created_at" < $4::timestamptz))
    order by "t0"."created_at" DESC NULLS FIRST, "t0"."id" DESC NULLS FIRST
    limit 21) as "p0_rows") as "p0"
