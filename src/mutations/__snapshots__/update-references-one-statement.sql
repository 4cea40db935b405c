-- Inputs checked inside the one statement (see referenceCell, statementLinks)
-- mutation { updateComment(id: "Q29tbWVudDox", input: {postId: "UG9zdDoy"}) { comment { body } } }
-- parameters: 2
with "written" as (update "comments" as "t" set "post_id" = (
    select case when count(*) = 1 then (array_agg("s"."v"))[1] when ('graphql_auto_gen:invalid_reference:Post::postId:' || count(*))::int is null then null end
    from (
      select "ref"."id" as "v"
      from "posts" as "ref"
      where "ref"."id" = $2 and "ref"."deleted_at" IS NULL for share of "ref") as "s") where "t"."id" = $1 returning "t".*, "t"."id"::text as "__pk")
select "w"."__pk", (json_build_object('body', "w"."body"))::text as "__n0"
from "written" as "w"

-- mutation { updatePost(id: "UG9zdDox", input: {labelIds: ["TGFiZWw6MQ==", "TGFiZWw6Mg=="]}) { post { title } } }
-- parameters: 2
with "written" as (
  select "t".*, "t"."id"::text as "__pk"
  from "posts" as "t"
  where "t"."id" = $1 and "t"."deleted_at" IS NULL
  order by "t"."id" for update of "t"), "wanted_0" as (
  select t."id"::text as pk, t."id" as k
  from "labels" as t
  where "t"."id" = any($2)), "src_0" as (
  select w."id" as k
  from "written" as w), "removed_0" as (delete from "post_labels" as j using "src_0" where j."post_id" = "src_0".k and j."label_id" not in (
    select k
    from "wanted_0") returning 1), "added_0" as (insert into "post_labels" ("post_id", "label_id") select "src_0".k, "wanted_0".k from "src_0" cross join "wanted_0" where not exists (
    select 1
    from "post_labels" as e
    where e."post_id" = "src_0".k and e."label_id" = "wanted_0".k) returning 1)
select "w"."__pk", (case when "w"."deleted_at" IS NULL then json_build_object('title', "w"."title") end)::text as "__n0", (
  select case when count(*) = 2 then null when ('graphql_auto_gen:invalid_reference:Label::labelIds:' || count(*))::int is null then null end
  from "wanted_0") as "__x0"
from "written" as "w"
