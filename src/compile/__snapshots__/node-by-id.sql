-- node(id) with inline and named fragments, aliases and __typename
-- parameters: 1
-- query ($id: ID!) {
-- node(id: $id) {
-- __typename id
-- ... on User { name: username recent: orders(first: 2) { nodes { pk } } oldest: orders(last: 1) { nodes { pk } } }
-- ... on Product { name }
-- ...UserProfile
-- }
-- }
-- fragment UserProfile on User { profile { ...on Profile { lastName } } }
select json_build_object('__typename', 'User', 'id', encode(textsend('User:' || "t0"."id"::text), 'base64'), 'name', "t0"."username", 'recent', (
    select json_build_object('nodes', coalesce(json_agg(json_build_object('pk', "p0"."id")), '[]'::json))
    from (
      select "t1"."id", "t1"."created_at" as "__k0", "t1"."id" as "__k1"
      from "orders" as "t1"
      where "t1"."user_id" = "t0"."id"
      order by "t1"."created_at" DESC NULLS FIRST, "t1"."id" DESC NULLS FIRST
      limit 2) as "p0"), 'oldest', (
    select json_build_object('nodes', coalesce(json_agg(json_build_object('pk', "p1"."id") order by "p1"."__k0" DESC NULLS FIRST, "p1"."__k1" DESC NULLS FIRST), '[]'::json))
    from (
      select "t2"."id", "t2"."created_at" as "__k0", "t2"."id" as "__k1"
      from "orders" as "t2"
      where "t2"."user_id" = "t0"."id"
      order by "t2"."created_at" ASC NULLS LAST, "t2"."id" ASC NULLS LAST
      limit 1) as "p1"), 'profile', (
    select json_build_object('lastName', "t3"."last_name")
    from "profiles" as "t3"
    where "t3"."user_id" = "t0"."id"))::text as "data"
from "users" as "t0"
where "t0"."id" = $1
