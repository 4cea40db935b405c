-- user(id) with a connection and a to-one relation
-- parameters: 1
-- query ($id: ID!) { user(id: $id) { pk email isActive lastLogin profile { bio } orders(first: 2) { totalCount } } }
select json_build_object('pk', "t0"."id", 'email', "t0"."email", 'isActive', "t0"."is_active", 'lastLogin', to_char("t0"."last_login" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'profile', (
    select json_build_object('bio', "t1"."bio")
    from "profiles" as "t1"
    where "t1"."user_id" = "t0"."id"), 'orders', json_build_object('totalCount', (
      select count(*)
      from "orders" as "c0"
      where "c0"."user_id" = "t0"."id")))::text as "data"
from "users" as "t0"
where "t0"."id" = $1
