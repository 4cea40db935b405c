import type { Database } from '../database/index.js'
import type { ModelNames } from '../naming/index.js'
import { channelFor } from './ChangeEvent.js'
import { MAX_NOTIFY_BYTES } from './postgresPubSub.js'

/** The trigger function and the triggers' name (one per table). */
export const TRIGGER_NAME = 'graphql_auto_gen_notify'

/**
 * Installs (idempotently) a row trigger on every model table that NOTIFYs the subscriptions
 * channel AFTER INSERT OR UPDATE OR DELETE, so writes made outside the API (psql, other services)
 * reach subscribers too; NOTIFY is delivered only when the writing transaction commits. Payloads
 * carry keys only (the subscriber re-reads the row), plus a deleted row's last values when they
 * fit the 8000-byte NOTIFY limit. On a soft-delete model, setting the timestamp is a `deleted`
 * event, clearing it an `updated` one, and changes to already deleted rows are not events.
 */
export async function installDatabaseTriggers(
  database: Database,
  models: Iterable<ModelNames>,
  options: { notifyChannel: string; prefix: string },
): Promise<void> {
  const statements = [triggerFunctionSql()]
  for (const names of models) {
    const model = names.model
    const keyColumns = model.primaryKey.map((field) => field.column)
    // Trigger arguments list columns comma-separated: a key column named with a comma cannot be.
    if (keyColumns.length === 0 || keyColumns.some((column) => column.includes(','))) continue
    const soft =
      model.softDeleteField !== undefined
        ? model.fields.find((f) => f.key === model.softDeleteField)
        : undefined
    const hidden = model.fields.filter((f) => f.hidden || f.writeOnly).map((f) => f.column)
    const table = tableRef(model)
    const args = [
      options.notifyChannel,
      model.name,
      keyColumns.join(','),
      soft?.column ?? '',
      // `<prefix>:<model>:` — the function appends the operation.
      channelFor(options.prefix, model.name, 'created').slice(0, -'created'.length),
      hidden.join(','),
    ]
    statements.push(
      `create or replace trigger ${TRIGGER_NAME} after insert or update or delete on ${table} ` +
        `for each row execute function ${TRIGGER_NAME}(${args.map(literal).join(', ')})`,
    )
  }
  await database.exec(statements.join(';\n'))
}

/** Drops the triggers again (the function stays; it is harmless without triggers). */
export async function dropDatabaseTriggers(database: Database, models: Iterable<ModelNames>): Promise<void> {
  const statements = [...models].map(
    (names) => `drop trigger if exists ${TRIGGER_NAME} on ${tableRef(names.model)}`,
  )
  if (statements.length > 0) await database.exec(statements.join(';\n'))
}

function triggerFunctionSql(): string {
  return `create or replace function ${TRIGGER_NAME}() returns trigger language plpgsql as $gag$
declare
  op text;
  key text;
  rec jsonb;
  body jsonb;
  payload text;
begin
  -- arguments: notify channel, model, key columns (comma-separated), soft-delete column or '',
  -- channel prefix, hidden columns
  if tg_op = 'INSERT' then
    op := 'created';
    rec := to_jsonb(new);
  elsif tg_op = 'DELETE' then
    op := 'deleted';
    rec := to_jsonb(old);
    if tg_argv[3] <> '' and rec ->> tg_argv[3] is not null then return null; end if;
  else
    rec := to_jsonb(new);
    op := 'updated';
    if tg_argv[3] <> '' then
      if to_jsonb(old) ->> tg_argv[3] is not null then
        if rec ->> tg_argv[3] is not null then return null; end if;
      elsif rec ->> tg_argv[3] is not null then
        op := 'deleted';
      end if;
    end if;
  end if;
  -- The key text (naming's encodeKeyText): the value for one column, else a JSON array of texts.
  if strpos(tg_argv[2], ',') = 0 then
    key := rec ->> tg_argv[2];
  else
    select '[' || string_agg(to_json(rec ->> k.name)::text, ',' order by k.n) || ']' into key
    from unnest(string_to_array(tg_argv[2], ',')) with ordinality as k(name, n);
  end if;
  body := jsonb_build_object('model', tg_argv[1], 'op', op, 'pk', key);
  if op = 'deleted' then
    body := body || jsonb_build_object('row', rec - string_to_array(tg_argv[5], ','));
  end if;
  payload := jsonb_build_object('c', tg_argv[4] || op, 'e', body)::text;
  if octet_length(payload) > ${MAX_NOTIFY_BYTES} then
    payload := jsonb_build_object('c', tg_argv[4] || op, 'e', body - 'row')::text;
  end if;
  perform pg_notify(tg_argv[0], payload);
  return null;
end
$gag$`
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}

function tableRef(model: { table: string; schema?: string }): string {
  return model.schema !== undefined ? `${ident(model.schema)}.${ident(model.table)}` : ident(model.table)
}
