import type { ComputedField } from '../models/index.js'
import type { ModelNames } from '../naming/index.js'
import type { CompileContext } from './CompileContext.js'
import { renderScalar } from './renderScalar.js'
import type { RowScope } from './RowScope.js'
import { jsonObject } from './sql.js'

/**
 * The columns a computed field needs, as one JSON object under the field's response key, read in
 * the same statement as the rest of the row; the field's resolver computes its value from it.
 * Keys are property keys, values rendered as the API renders them. A computed field the caller may
 * not read (permissionRequired) reads nothing: NULL, and its resolver answers FORBIDDEN.
 */
export function compileComputedRow(
  ctx: CompileContext,
  names: ModelNames,
  computed: ComputedField,
  scope: RowScope,
): string {
  if (ctx.deniedFields?.has(`${names.model.name}.${computed.name}`)) return 'NULL'
  return jsonObject(
    computed.needs.map((field) => [field.key, renderScalar(field, scope.column(field.column))]),
  )
}
