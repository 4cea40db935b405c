#!/usr/bin/env bash
# Rebuilds the corpus fixtures from the upstream scripts (see each folder's README.md):
#   test/corpus/build.sh <chinook|northwind> <upstream .sql file>
# Loads the upstream script into a scratch PostgreSQL database, keeps a small subset of its rows,
# writes schema.sql (the upstream DDL, unqualified so tests can load it into any schema) and
# data.sql (INSERTs), then runs `drizzle-kit pull` against the scratch database and keeps the
# generated schema.ts and relations.ts exactly as they came out.
set -euo pipefail
name=$1
upstream=$2
here=$(cd "$(dirname "$0")" && pwd)
out=$here/$name
admin=${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
scratch=corpus_$name
url=${admin%/*}/$scratch
psql "$admin" -qc "drop database if exists $scratch" -c "create database $scratch"
case $name in
  chinook)
    # The DDL: from `\c chinook;` to the "Populate Tables" banner (both left out).
    sed -n '/^\\c chinook;/,/Populate Tables/p' "$upstream" | sed -e '1d' | head -n -2 | cat -s >"$out/schema.sql"
    sed -n '/^\\c chinook;/,$p' "$upstream" | tail -n +2 | psql -q -v ON_ERROR_STOP=1 "$url" >/dev/null
    subset="
      delete from playlist_track where track_id > 300;
      delete from invoice_line where invoice_id > 120 or track_id > 300;
      delete from invoice where invoice_id > 120;
      delete from track where track_id > 300;
      delete from album where album_id not in (select album_id from track where album_id is not null);
      delete from artist where artist_id not in (select artist_id from album);"
    ;;
  northwind)
    grep -v -e '^INSERT' -e '^SET ' -e '^DROP TABLE' "$upstream" | cat -s >"$out/schema.sql"
    psql -q -v ON_ERROR_STOP=1 "$url" -f "$upstream" >/dev/null
    # Pictures and photos are large bytea blobs: kept for two rows only, to stay small.
    subset="
      delete from order_details where order_id > 10400;
      delete from orders where order_id > 10400;
      update categories set picture = null where category_id > 2;
      update employees set photo = null where employee_id > 2;"
    ;;
  *) echo "unknown corpus $name" >&2; exit 2 ;;
esac
psql -q -v ON_ERROR_STOP=1 "$url" -c "$subset"
pg_dump --data-only --inserts --rows-per-insert=100 --no-owner "$url" |
  grep -v -e '^SET ' -e '^SELECT pg_catalog.set_config' -e '^--' -e '^\\' |
  sed -e 's/^INSERT INTO public\./INSERT INTO /' | cat -s >"$out/data.sql"
cd "$out"
DATABASE_URL=$url npx drizzle-kit pull --dialect postgresql --url "$url" --out pulled >/dev/null
cp pulled/schema.ts schema.ts
cp pulled/relations.ts relations.ts
rm -rf pulled
psql "$admin" -qc "drop database $scratch"
