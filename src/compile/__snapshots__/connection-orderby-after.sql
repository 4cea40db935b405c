-- root connection with a two-key orderBy (one through a to-one relation) and an after cursor
-- parameters: 6
-- query ($after: String) {
-- users(first: 37, after: $after, orderBy: [{ lastLogin: DESC_NULLS_LAST }, { profile: { lastName: ASC } }]) {
-- totalCount
-- edges { cursor node { id pk username createdAt } }
-- pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
-- }
-- }
select json_build_object('totalCount', (
    select count(*)
    from "users" as "c0"), 'edges', coalesce(json_agg(json_build_object('cursor', translate(encode(convert_to(json_build_array('6e7d835e', "p0"."__k0"::text, "p0"."__k1"::text, "p0"."__k2"::text)::text, 'UTF8'), 'base64'), E'\n', ''), 'node', json_build_object('id', encode(textsend('User:' || "p0"."id"::text), 'base64'), 'pk', "p0"."id", 'username', "p0"."username", 'createdAt', to_char("p0"."created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))) filter (where "p0"."__i" <= 37), '[]'::json), 'pageInfo', json_build_object('hasNextPage', count(*) > 37, 'hasPreviousPage', exists (
      select 1
      from "users" as "c1"
      left join "profiles" as "c1_profile" on "c1_profile"."user_id" = "c1"."id"
      where (("c1"."last_login" > $1) OR ("c1"."last_login" = $1 AND "c1_profile"."last_name" < $2) OR ("c1"."last_login" = $1 AND "c1_profile"."last_name" = $2 AND ("c1"."id" < $3 OR "c1"."id" = $3)))), 'startCursor', translate(encode(convert_to((array_agg(json_build_array('6e7d835e', "p0"."__k0"::text, "p0"."__k1"::text, "p0"."__k2"::text)::text) filter (where "p0"."__i" <= 37))[1], 'UTF8'), 'base64'), E'\n', ''), 'endCursor', translate(encode(convert_to((array_agg(json_build_array('6e7d835e', "p0"."__k0"::text, "p0"."__k1"::text, "p0"."__k2"::text)::text) filter (where "p0"."__i" <= 37))[least(count(*), 37)], 'UTF8'), 'base64'), E'\n', '')))::text as "data"
from (
  select "p0_rows".*, row_number() over (order by "p0_rows"."__k0" DESC NULLS LAST, "p0_rows"."__k1" ASC NULLS LAST, "p0_rows"."__k2" ASC NULLS LAST) as "__i"
  from (
    select "t0"."id", "t0"."username", "t0"."created_at", "t0"."last_login" as "__k0", "t0_profile"."last_name" as "__k1", "t0"."id" as "__k2"
    from "users" as "t0"
    left join "profiles" as "t0_profile" on "t0_profile"."user_id" = "t0"."id"
    where ((("t0"."last_login" < $4 OR "t0"."last_login" IS NULL)) OR ("t0"."last_login" = $4 AND ("t0_profile"."last_name" > $5 OR "t0_profile"."last_name" IS NULL)) OR ("t0"."last_login" = $4 AND "t0_profile"."last_name" = $5 AND "t0"."id" > $6))
    order by "t0"."last_login" DESC NULLS LAST, "t0_profile"."last_name" ASC NULLS LAST, "t0"."id" ASC NULLS LAST
    limit 38) as "p0_rows") as "p0"
