-- createPost with a payload: one INSERT, the payload compiled into its RETURNING
-- parameters: 2
-- mutation { createPost(input: {writerId: "V3JpdGVyOjE=", title: "Hi"}) { post { id title writer { name } } } }
insert into "posts" as "w" ("writer_id", "title") values ($1, $2) returning "w"."id"::text as "__pk", (case when "w"."deleted_at" IS NULL then json_build_object('id', encode(textsend('Post:' || "w"."id"::text), 'base64'), 'title', "w"."title", 'writer', (
      select json_build_object('name', "tw0"."name")
      from "writers" as "tw0"
      where "tw0"."id" = "w"."writer_id")) end)::text as "__n0"
