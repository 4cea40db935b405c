-- page ordered by a to-one relation column: a join, not a subquery per row; cursors and keyset
-- parameters: 4
-- query ($after: String) {
-- orders(first: 5, after: $after, orderBy: [{ user: { username: ASC } }]) { edges { cursor node { pk } } pageInfo { hasPreviousPage } }
-- }
select json_build_object('edges', coalesce(json_agg(json_build_object('cursor', translate(encode(convert_to(json_build_array('93462d4e', "p0"."__k0"::text, "p0"."__k1"::text)::text, 'UTF8'), 'base64'), E'\n', ''), 'node', json_build_object('pk', "p0"."id"))), '[]'::json), 'pageInfo', json_build_object('hasPreviousPage', exists (
      select 1
      from "orders" as "c0"
      join "users" as "c0_user" on "c0_user"."id" = "c0"."user_id"
      where (("c0_user"."username", "c0"."id") <= ($1, $2)))))::text as "data"
from (
  select "t0"."id", "t0_user"."username" as "__k0", "t0"."id" as "__k1"
  from "orders" as "t0"
  join "users" as "t0_user" on "t0_user"."id" = "t0"."user_id"
  where (("t0_user"."username", "t0"."id") > ($3, $4))
  order by "t0_user"."username" ASC NULLS LAST, "t0"."id" ASC NULLS LAST
  limit 5) as "p0"
