-- createPost with a payload: the INSERT in a data-modifying CTE, the payload read over its RETURNING *
-- parameters: 2
-- mutation { createPost(input: {writerId: "V3JpdGVyOjE=", title: "Hi"}) { post { id title writer { name } } } }
with "written" as (insert into "posts" ("writer_id", "title") values ($1, $2) returning *, "id"::text as "__pk")
select "w"."__pk", (case when "w"."deleted_at" IS NULL then json_build_object('id', translate(encode(convert_to('Post:' || "w"."id"::text, 'UTF8'), 'base64'), E'\n', ''), 'title', "w"."title", 'writer', (
      select json_build_object('name', "tw0"."name")
      from "writers" as "tw0"
      where "tw0"."id" = "w"."writer_id"
      limit 1)) end)::text as "__n0"
from "written" as "w"
