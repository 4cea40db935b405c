import type { Model } from '../models/index.js'

/** Collects bound values and hands out their `$n` placeholders; values never enter SQL text. */
export class SqlParams {
  readonly values: unknown[] = []
  /**
   * Some value is a filter's (the `filter` argument, row policies): the statement must be planned
   * for its own values, since a generic plan can be far slower for some (`ilike '%42%'`).
   */
  customPlan = false

  /** Binds a value and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

/** Quotes an SQL identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/** Quotes a string as an SQL literal; only for names and constants the compiler makes, never user values. */
export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}

/** The table of a model, schema-qualified when it has a schema. */
export function tableRef(model: Pick<Model, 'table' | 'schema'>): string {
  return model.schema !== undefined ? `${ident(model.schema)}.${ident(model.table)}` : ident(model.table)
}

/**
 * `json_build_object` over key/expression pairs. PostgreSQL caps a function at 100 arguments, so
 * wider objects are built in chunks and joined as text, which keeps key order (unlike jsonb).
 */
export function jsonObject(entries: ReadonlyArray<readonly [string, string]>): string {
  if (entries.length === 0) return `json_build_object()`
  const chunks: string[] = []
  for (let i = 0; i < entries.length; i += 50) {
    const chunk = entries.slice(i, i + 50)
    chunks.push(`json_build_object(${chunk.map(([key, expr]) => `${literal(key)}, ${expr}`).join(', ')})`)
  }
  if (chunks.length === 1) return chunks[0]!
  const inner = chunks.map((c, i) => {
    const text = `${c}::text`
    if (i === 0) return `left(${text}, -1)`
    if (i === chunks.length - 1) return `right(${text}, -1)`
    return `substr(${text}, 2, length(${text}) - 2)`
  })
  return `(${inner.join(` || ', ' || `)})::json`
}

/** Base64 of a text expression without the line breaks PostgreSQL inserts every 76 characters. */
export function base64(textExpr: string): string {
  return `translate(encode(convert_to(${textExpr}, 'UTF8'), 'base64'), E'\\n', '')`
}
