import type { NoteSink } from './notes.js'
import type { PrintStyle } from './objectText.js'
import { quoted } from './objectText.js'
import type { Step } from './versions.js'
import { v2KeyPath } from './configKeys.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

/** True when a parsed JSON value is a v1 or v2 config object. */
export function isLegacyJsonConfig(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    ['MODELS', 'ENABLE_MUTATIONS', 'SCHEMA_CONFIG'].some((key) => key in value)
  )
}

/**
 * Migrates a JSON config (or a loaded config object) one step toward 2.1; JSON stays JSON until
 * 3.0, which needs code. At 1.0→2.0 keys that name a v3 section (`database`) move into
 * SCHEMA_CONFIG, where 2.0 reads them; any other key would be ignored there, so it is a manual step.
 */
export function migrateJsonConfig<T extends Record<string, unknown>>(
  value: T,
  step: Step,
  notes: NoteSink,
): Record<string, unknown> {
  if (step.to === '2.0' && ('MODELS' in value || 'ENABLE_MUTATIONS' in value)) {
    const { MODELS, ENABLE_MUTATIONS, ...others } = value as Record<string, unknown>
    const moved: Record<string, unknown> = {}
    const kept: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(others)) {
      if (v2KeyPath([key]) !== undefined) {
        moved[key] = item
        notes.change(`Config: \`${key}\` moved into SCHEMA_CONFIG, where 2.0 reads it.`)
      } else {
        kept[key] = item
        notes.manual(
          `Config: \`${key}\` is not a graphql-auto-gen setting; 2.0 ignores keys beside SCHEMA_CONFIG: move it into SCHEMA_CONFIG under a v3 name or remove it.`,
        )
      }
    }
    if (MODELS === undefined)
      notes.manual('The v1 config has no MODELS: list your models in SCHEMA_CONFIG.models.')
    notes.change('Config: MODELS/ENABLE_MUTATIONS → SCHEMA_CONFIG { models, mutations, queries, security }.')
    return {
      SCHEMA_CONFIG: {
        models: MODELS ?? [],
        mutations: { enabled: ENABLE_MUTATIONS ?? true, bulk_operations: true, soft_delete: false },
        queries: { pagination: 'relay', filtering: 'basic', ordering: true },
        security: { authentication_required: false, permission_classes: ['AllowAny'], rate_limiting: false },
        ...moved,
      },
      ...kept,
    }
  }
  if (step.to === '2.0') switchLegacyPagination(value, notes)
  if (step.to === '2.1') {
    const queries = (value['SCHEMA_CONFIG'] as JsonObject | undefined)?.['queries'] as JsonObject | undefined
    if (queries?.['filtering'] === 'basic') {
      queries['filtering'] = 'advanced'
      notes.change(
        "Config: queries.filtering 'basic' → 'advanced' (basic filters in documents become `{ exact: … }`).",
      )
    }
  }
  return value
}

/** The JSON indentation of a file (2 spaces when it has none). */
export function jsonIndent(text: string): string {
  return /\n([ \t]+)\S/.exec(text)?.[1] ?? '  '
}

/** Writes a JSON value as a JavaScript literal: bare keys where possible, the file's quote style. */
export function toJsLiteral(value: Json, indent: string, style: PrintStyle): string {
  if (typeof value === 'string') return quoted(value, style)
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  const inner = indent + style.unit
  const comma = style.trailingComma ? ',' : ''
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    const items = value.map((item) => toJsLiteral(item, inner, style))
    if (value.every((item) => item === null || typeof item !== 'object')) return `[${items.join(', ')}]`
    return `[\n${items.map((i) => inner + i).join(',\n')}${comma}\n${indent}]`
  }
  const entries = Object.entries(value)
  if (entries.length === 0) return '{}'
  const lines = entries.map(([key, item]) => {
    const shown = /^[A-Za-z_$][\w$]*$/.test(key) ? key : quoted(key, style)
    return `${inner}${shown}: ${toJsLiteral(item, inner, style)}`
  })
  return `{\n${lines.join(',\n')}${comma}\n${indent}}`
}

/**
 * A v2-shaped config migrated `--from 1.0` whose lists are still legacy: the documents become
 * connections in this step, so the config serves connections too.
 */
function switchLegacyPagination(value: Record<string, unknown>, notes: NoteSink): void {
  const schemaConfig = value['SCHEMA_CONFIG'] as Record<string, unknown> | undefined
  const queries = schemaConfig?.['queries'] as Record<string, unknown> | undefined
  if (queries?.['pagination'] !== 'legacy') return
  queries['pagination'] = 'relay'
  notes.change(
    "Config: queries.pagination 'legacy' → 'relay' (client documents become connections in this step).",
  )
}
