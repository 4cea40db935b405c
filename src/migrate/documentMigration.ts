import { GraphQLError, Kind, parse, visit } from 'graphql'
import type {
  ArgumentNode,
  DocumentNode,
  FieldNode,
  ObjectValueNode,
  OperationDefinitionNode,
  TypeNode,
  ValueNode,
  VariableDefinitionNode,
} from 'graphql'
import pluralize from 'pluralize'
import { FILTER_OPERATORS } from '../compile/index.js'
import type { NoteSink } from './notes.js'
import { TODO } from './notes.js'
import { applyEdits, indentUnit, lineIndent } from './textEdits.js'
import type { TextEdit } from './textEdits.js'
import type { Step } from './versions.js'

/** How converted list fields select their items: `edges { node { … } }` or `nodes { … }`. */
export type ConnectionStyle = 'edges' | 'nodes'

/** What a document's migration needs from the project. */
export interface DocumentContext {
  style: ConnectionStyle
  /** `first:` given to a list that had no `limit` (the rows it could return: `maxPageSize`). */
  listLimit: number
}

/** Arguments of relay connections; a field that takes any of them is already migrated. */
const RELAY_ARGS = new Set(['first', 'last', 'after', 'before'])
/** Fields of a connection; a selection with any of them is already migrated. */
const CONNECTION_FIELDS = new Set(['edges', 'nodes', 'pageInfo', 'totalCount'])
/** Plural fields that are plain lists in every version (mutation payload errors, connection parts). */
const PLAIN_LISTS = new Set(['errors', 'edges', 'nodes'])

/**
 * Migrates one GraphQL document one step and returns the new text; only the changed spots are
 * rewritten, so comments and layout elsewhere stay as they were.
 * - 1.0→2.0: legacy list fields (`limit`/`offset`, or a plural field with a plain selection) →
 *   relay connections (`first`, `edges { node { … } }` or `nodes { … }`);
 * - 2.0→2.1: basic filters `{ username: "x" }` → `{ username: { exact: "x" } }`.
 * `lineAt` turns an offset in `text` into a line of the file, for notes.
 */
export function migrateDocument(
  text: string,
  step: Step,
  notes: NoteSink,
  context: DocumentContext,
  lineAt: (offset: number) => number,
): string {
  const edits = documentEdits(text, step, notes, context, lineAt)
  return edits.length === 0 ? text : applyEdits(text, edits)
}

/** The edits {@link migrateDocument} makes, against `text` (for documents embedded in code). */
export function documentEdits(
  text: string,
  step: Step,
  notes: NoteSink,
  context: DocumentContext,
  lineAt: (offset: number) => number,
): TextEdit[] {
  if (step.to !== '2.0' && step.to !== '2.1') return []
  let document: DocumentNode
  try {
    document = parse(text)
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error
    const offset = error.positions?.[0] ?? 0
    notes.manual(`Documents: not valid GraphQL, so it was not migrated (${error.message}).`, lineAt(offset))
    return []
  }
  return step.to === '2.0'
    ? paginationEdits(text, document, notes, context, lineAt)
    : filterEdits(text, document, notes, lineAt)
}

// ---------------------------------------------------------------------------------------------
// Pagination: legacy lists → relay connections

function paginationEdits(
  text: string,
  document: DocumentNode,
  notes: NoteSink,
  context: DocumentContext,
  lineAt: (offset: number) => number,
): TextEdit[] {
  const edits: TextEdit[] = []
  const { style } = context
  const unit = indentUnit(text)
  // Extra indentation that enclosing conversions add to the current line, innermost last.
  const extra: string[] = []
  let operation: OperationDefinitionNode | undefined
  // Offset arguments removed in the current operation, so variables they alone used can go.
  let removed: ArgumentNode[] = []
  const defaulted = new Set<VariableDefinitionNode>()
  visit(document, {
    OperationDefinition: {
      enter(node) {
        operation = node
        removed = []
      },
      leave(node) {
        removeUnusedVariables(node, removed)
        operation = undefined
      },
    },
    FragmentDefinition: {
      enter() {
        operation = undefined
        removed = []
      },
    },
    Field: {
      enter(field) {
        // Introspection (`__schema { types }`) is the same in every version: never a list to convert.
        if (field.name.value.startsWith('__')) return false
        extra.push(convertField(field))
        return undefined
      },
      leave() {
        extra.pop()
      },
    },
  })
  return edits

  function convertField(field: FieldNode): string {
    const selection = field.selectionSet
    const args = field.arguments ?? []
    if (!selection || args.some((a) => RELAY_ARGS.has(a.name.value))) return ''
    if (selection.selections.some((s) => s.kind === Kind.FIELD && CONNECTION_FIELDS.has(s.name.value)))
      return ''
    const limit = args.find((a) => a.name.value === 'limit')
    const offset = args.find((a) => a.name.value === 'offset')
    const name = field.name.value
    const isQuery = operation === undefined || operation.operation === 'query'
    const looksLikeList =
      isQuery && !PLAIN_LISTS.has(name) && pluralize.isPlural(name) && !pluralize.isSingular(name)
    if (!limit && !offset && !looksLikeList) return ''
    const line = lineAt(field.loc!.start)
    const indent = lineIndent(text, field.loc!.start) + extra.join('')
    if (limit) {
      edits.push({ start: limit.name.loc!.start, end: limit.name.loc!.end, text: 'first' })
      defaultLimitVariable(limit)
    } else {
      addFirst(field, offset)
    }
    if (offset) convertOffset(field, offset, indent, line)
    const shown = field.alias ? `${field.alias.value} (${name})` : name
    const added = wrapSelection(selection.loc!.start, selection.loc!.end, indent)
    const how = limit
      ? 'limit → first'
      : `first: ${context.listLimit}, the most rows the list returned without limit`
    notes.change(
      `Documents: ${shown} → a relay connection (${style === 'edges' ? 'edges { node }' : 'nodes'}, ${how}).`,
      line,
    )
    notes.warning(
      `Documents: code reading \`${field.alias?.value ?? name}\` must now read ${style === 'edges' ? `\`${field.alias?.value ?? name}.edges[i].node\`` : `\`${field.alias?.value ?? name}.nodes[i]\``} (it was a list).`,
      line,
    )
    return added
  }

  /**
   * A list without `limit` returned up to `maxPageSize` rows; a connection without `first` returns
   * a default page. `first: <maxPageSize>` keeps the rows the same.
   */
  function addFirst(field: FieldNode, offset: ArgumentNode | undefined): void {
    const first = `first: ${context.listLimit}`
    const args = (field.arguments ?? []).filter((a) => a !== offset)
    if (args.length > 0) {
      const last = args[args.length - 1]!
      edits.push({ start: last.loc!.end, end: last.loc!.end, text: `, ${first}` })
    } else if (offset) {
      // convertOffset deletes the offset right after this insertion: `(offset: 0)` → `(first: N)`.
      edits.push({ start: offset.loc!.start, end: offset.loc!.start, text: first })
    } else {
      edits.push({ start: field.name.loc!.end, end: field.name.loc!.end, text: `(${first})` })
    }
  }

  /**
   * `limit: $size` with `$size` omitted returned up to maxPageSize rows; `first: $size` omitted
   * returns one default page. A default of maxPageSize on the variable keeps the old answer.
   */
  function defaultLimitVariable(limit: ArgumentNode): void {
    if (limit.value.kind !== Kind.VARIABLE || !operation) return
    const name = limit.value.name.value
    const definition = operation.variableDefinitions?.find((d) => d.variable.name.value === name)
    if (!definition || definition.defaultValue || definition.type.kind === Kind.NON_NULL_TYPE) return
    if (defaulted.has(definition)) return
    defaulted.add(definition)
    edits.push({
      start: definition.type.loc!.end,
      end: definition.type.loc!.end,
      text: ` = ${context.listLimit}`,
    })
  }

  function convertOffset(field: FieldNode, offset: ArgumentNode, indent: string, line: number): void {
    const args = field.arguments!
    const limit = args.find((a) => a.name.value === 'limit')
    // The only argument, and `first` goes before it: delete it alone, not the parentheses.
    edits.push(
      args.length === 1 && !limit
        ? { start: offset.loc!.start, end: offset.loc!.end, text: '' }
        : removeListItem(text, args, args.indexOf(offset), field.name.loc!.end),
    )
    removed.push(offset)
    const value = offset.value
    if (value.kind === Kind.INT && Number(value.value) === 0) return
    const shown = text.slice(value.loc!.start, value.loc!.end)
    edits.push({
      start: field.loc!.start,
      end: field.loc!.start,
      text: `# ${TODO}: offset ${shown} has no cursor equivalent; pass after: <pageInfo.endCursor of the previous page>\n${indent}`,
    })
    notes.manual(
      `Documents: offset ${shown} on ${field.name.value} has no cursor equivalent: page with after: <endCursor>.`,
      line,
    )
  }

  /** Drops variable definitions that only removed offsets used (one `$offset` may feed several lists). */
  function removeUnusedVariables(op: OperationDefinitionNode, gone: readonly ArgumentNode[]): void {
    const candidates = new Set(
      gone.flatMap((a) => (a.value.kind === Kind.VARIABLE ? [a.value.name.value] : [])),
    )
    if (candidates.size === 0) return
    const uses = new Map<string, number>()
    visit(op, {
      VariableDefinition: () => false,
      Argument: (node) => (gone.includes(node) ? false : undefined),
      Variable: (node) => {
        uses.set(node.name.value, (uses.get(node.name.value) ?? 0) + 1)
      },
    })
    const definitions = op.variableDefinitions ?? []
    const unused = definitions.filter(
      (d) => candidates.has(d.variable.name.value) && !uses.get(d.variable.name.value),
    )
    if (unused.length === 0) return
    if (unused.length === definitions.length) {
      const open = text.indexOf('(', op.name?.loc?.end ?? op.loc!.start)
      const close = text.indexOf(')', definitions[definitions.length - 1]!.loc!.end)
      edits.push({ start: open, end: close + 1, text: '' })
      return
    }
    for (const definition of unused) {
      edits.push(removeListItem(text, definitions, definitions.indexOf(definition), op.loc!.start))
    }
  }

  /** Queues insertions that wrap `{ … }` at [start, end) in the connection selection. */
  function wrapSelection(start: number, end: number, indent: string): string {
    const inner = text.slice(start, end)
    const prefix = style === 'edges' ? ['edges {', 'node '] : ['nodes ']
    if (!inner.includes('\n')) {
      edits.push({ start, end: start, text: `{ ${prefix.join(' ')}` })
      edits.push({ start: end, end, text: style === 'edges' ? ' } }' : ' }' })
      return ''
    }
    const added = unit.repeat(prefix.length)
    edits.push({
      start,
      end: start,
      text: '{' + prefix.map((p, i) => `\n${indent}${unit.repeat(i + 1)}${p}`).join(''),
    })
    for (let i = text.indexOf('\n', start); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) {
      if (text[i + 1] !== '\n' && text[i + 1] !== '\r') edits.push({ start: i + 1, end: i + 1, text: added })
    }
    const closing = style === 'edges' ? `\n${indent}${unit}}\n${indent}}` : `\n${indent}}`
    edits.push({ start: end, end, text: closing })
    return added
  }
}

/** Deletes item `index` of a comma- or space-separated list, with its parentheses when it is the only one. */
function removeListItem(
  text: string,
  items: ReadonlyArray<{ loc?: { start: number; end: number } }>,
  index: number,
  searchFrom: number,
): TextEdit {
  const item = items[index]!.loc!
  if (items.length === 1) {
    const open = text.lastIndexOf('(', item.start)
    const close = text.indexOf(')', item.end)
    return { start: Math.max(open, searchFrom), end: close + 1, text: '' }
  }
  if (index > 0) return { start: items[index - 1]!.loc!.end, end: item.end, text: '' }
  return { start: item.start, end: items[1]!.loc!.start, text: '' }
}

// ---------------------------------------------------------------------------------------------
// Filters: basic equality → advanced lookups

function filterEdits(
  text: string,
  document: DocumentNode,
  notes: NoteSink,
  lineAt: (offset: number) => number,
): TextEdit[] {
  const edits: TextEdit[] = []
  let variables: readonly VariableDefinitionNode[] = []
  visit(document, {
    OperationDefinition(node) {
      variables = node.variableDefinitions ?? []
    },
    FragmentDefinition() {
      variables = []
    },
    Argument(argument, _key, _parent, _path, ancestors) {
      if (argument.name.value !== 'filter') return
      if (argument.value.kind === Kind.VARIABLE) {
        const field = ancestors[ancestors.length - 1] as FieldNode | undefined
        const at = field?.loc?.start ?? argument.loc!.start
        // Not again when the line above already carries this TODO (a second run).
        const lineStart = text.lastIndexOf('\n', at - 1) + 1
        const previous = text.slice(text.lastIndexOf('\n', lineStart - 2) + 1, lineStart)
        if (!previous.includes(`${TODO}: the values of $${argument.value.name.value}`)) {
          edits.push({
            start: at,
            end: at,
            text: `# ${TODO}: the values of $${argument.value.name.value} must use lookups, e.g. { username: { exact: "x" } }\n${lineIndent(text, at)}`,
          })
        }
        notes.manual(
          `Documents: filter is the variable $${argument.value.name.value}: its values must now use lookups, e.g. { username: { exact: "x" } }.`,
          lineAt(argument.loc!.start),
        )
      } else if (argument.value.kind === Kind.OBJECT) {
        const before = edits.length
        rewriteFilter(argument.value)
        if (edits.length > before) {
          notes.change(
            `Documents: basic filter → lookups ({ field: { exact: … } }).`,
            lineAt(argument.loc!.start),
          )
        }
      }
    },
  })
  return edits

  function rewriteFilter(object: ObjectValueNode): void {
    const spaced = text[object.loc!.start + 1] === ' '
    const wrap = (lookup: string, value: ValueNode): string => {
      const inner = `${lookup}: ${text.slice(value.loc!.start, value.loc!.end)}`
      return spaced ? `{ ${inner} }` : `{${inner}}`
    }
    for (const field of object.fields) {
      const key = field.name.value
      const value = field.value
      if ((key === 'and' || key === 'or') && value.kind === Kind.LIST) {
        for (const item of value.values) if (item.kind === Kind.OBJECT) rewriteFilter(item)
        continue
      }
      if (key === 'not' && value.kind === Kind.OBJECT) {
        rewriteFilter(value)
        continue
      }
      // Lookups and relation filters are objects already; booleans are valid as they are. Any
      // other object is a JSON value compared for equality (a JSON column in basic mode).
      if ((value.kind === Kind.OBJECT && isFilterObject(value)) || value.kind === Kind.BOOLEAN) continue
      if (value.kind === Kind.VARIABLE && isBooleanVariable(value.name.value)) continue
      const replacement =
        value.kind === Kind.NULL
          ? spaced
            ? '{ isnull: true }'
            : '{isnull: true}'
          : wrap(
              value.kind === Kind.LIST || (value.kind === Kind.VARIABLE && isListVariable(value.name.value))
                ? 'in'
                : 'exact',
              value,
            )
      edits.push({ start: value.loc!.start, end: value.loc!.end, text: replacement })
    }
  }

  function variableType(name: string): TypeNode | undefined {
    return variables.find((v) => v.variable.name.value === name)?.type
  }
  function isBooleanVariable(name: string): boolean {
    const type = unwrapNonNull(variableType(name))
    return type?.kind === Kind.NAMED_TYPE && type.name.value === 'Boolean'
  }
  function isListVariable(name: string): boolean {
    return unwrapNonNull(variableType(name))?.kind === Kind.LIST_TYPE
  }
}

function unwrapNonNull(type: TypeNode | undefined): TypeNode | undefined {
  return type?.kind === Kind.NON_NULL_TYPE ? type.type : type
}

/** Lookup names and combinators a migrated (advanced) filter object holds: the compiler's own. */
const FILTER_KEYS = new Set<string>([
  ...Object.values(FILTER_OPERATORS).flat(),
  'some',
  'every',
  'none',
  'and',
  'or',
  'not',
])

/**
 * True for an advanced filter entry: lookups (`{ exact: … }`), or a relation filter whose own
 * entries are filters. Anything else (`{ plan: "pro" }`) is a JSON value: in basic filtering it
 * meant equality, which is `{ exact: { plan: "pro" } }` now.
 */
function isFilterObject(object: ObjectValueNode): boolean {
  if (object.fields.length === 0) return false
  return object.fields.every(
    (f) => FILTER_KEYS.has(f.name.value) || (f.value.kind === Kind.OBJECT && isFilterObject(f.value)),
  )
}
