import { Node } from 'ts-morph'
import type { ObjectLiteralExpression } from 'ts-morph'
import { lineIndent } from './textEdits.js'

/**
 * One property of an object literal as text: the comments on the lines above it, its key, its
 * value (nested lines relative to the property's own indentation) and a comment after it on the
 * same line. Restructuring a config moves these pieces around, so comments travel with their keys.
 */
export interface ObjectEntry {
  comments: string[]
  /** Absent for spreads and methods, which are printed as they were (`value`). */
  key?: string
  value: string | ObjectEntry[]
  trailing?: string
  /** Printed as `key` alone when the key still equals the value. */
  shorthand?: boolean
}

/** How new object text is laid out, taken from the file being migrated. */
export interface PrintStyle {
  unit: string
  quote: "'" | '"'
  trailingComma: boolean
}

/** The entries of an object literal, plus the comments after its last property. */
export function readEntries(object: ObjectLiteralExpression): { entries: ObjectEntry[]; dangling: string[] } {
  const source = object.getSourceFile().getFullText()
  const entries = object.getProperties().map((property): ObjectEntry => {
    const indent = lineIndent(source, property.getStart())
    const comments = property.getLeadingCommentRanges().map((c) => relative(c.getText(), indent))
    const trailing = trailingComment(source, property.getEnd())
    const base = { comments, ...(trailing !== undefined ? { trailing } : {}) }
    if (Node.isPropertyAssignment(property)) {
      return {
        ...base,
        key: propertyKey(property),
        value: relative(property.getInitializerOrThrow().getText(), indent),
      }
    }
    if (Node.isShorthandPropertyAssignment(property)) {
      return { ...base, key: property.getName(), value: property.getName(), shorthand: true }
    }
    return { ...base, value: relative(property.getText(), indent) }
  })
  const close = object.getLastToken()
  const dangling = close
    .getLeadingCommentRanges()
    .map((c) => relative(c.getText(), lineIndent(source, c.getPos())))
  return { entries, dangling }
}

/** The key of a property assignment without quotes (`'MODELS'` → `MODELS`). */
export function propertyKey(property: Node): string {
  if (!Node.isPropertyAssignment(property) && !Node.isShorthandPropertyAssignment(property)) return ''
  const name = property.getNameNode()
  if (Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name)) return name.getLiteralText()
  return name.getText()
}

/** Prints entries as a multi-line object literal whose closing brace sits at `indent`. */
export function printObject(
  entries: readonly ObjectEntry[],
  indent: string,
  style: PrintStyle,
  dangling: readonly string[] = [],
): string {
  if (entries.length === 0 && dangling.length === 0) return '{}'
  const inner = indent + style.unit
  const lines: string[] = ['{']
  entries.forEach((entry, index) => {
    for (const comment of entry.comments) lines.push(inner + absolute(comment, inner))
    const value =
      typeof entry.value === 'string' ? absolute(entry.value, inner) : printObject(entry.value, inner, style)
    const text =
      entry.key === undefined
        ? value
        : entry.shorthand === true && entry.key === entry.value
          ? entry.key
          : `${printKey(entry.key, style)}: ${value}`
    const comma = index < entries.length - 1 || style.trailingComma ? ',' : ''
    lines.push(inner + text + comma + (entry.trailing !== undefined ? ` ${entry.trailing}` : ''))
  })
  for (const comment of dangling) lines.push(inner + absolute(comment, inner))
  lines.push(indent + '}')
  return lines.join('\n')
}

/** A string literal in the file's quote style. */
export function quoted(value: string, style: PrintStyle): string {
  const json = JSON.stringify(value)
  if (style.quote === '"') return json
  return `'${json.slice(1, -1).replaceAll("\\'", "'").replaceAll('\\"', '"').replaceAll("'", "\\'")}'`
}

/** Reads the quote style and trailing-comma habit of a file. */
export function detectStyle(source: string, unit: string): PrintStyle {
  const single = (source.match(/'[^'\n]*'/g) ?? []).length
  const double = (source.match(/"[^"\n]*"/g) ?? []).length
  // Multi-line objects and arrays whose last item is, or is not, followed by a comma.
  const withComma = (source.match(/,[ \t]*\n[ \t]*[}\]]/g) ?? []).length
  const without = (source.match(/[^,{[\s][ \t]*\n[ \t]*[}\]]/g) ?? []).length
  return { unit, quote: double > single ? '"' : "'", trailingComma: withComma >= without }
}

function printKey(key: string, style: PrintStyle): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quoted(key, style)
}

/** A same-line comment after `end` (past an optional comma), e.g. `MODELS: [User], // ours`. */
function trailingComment(source: string, end: number): string | undefined {
  const match = /^[ \t]*,?[ \t]*(\/\/[^\n]*|\/\*(?:(?!\*\/)[^\n])*\*\/)/.exec(source.slice(end))
  return match?.[1]?.trimEnd()
}

/** Strips `indent` from every line after the first, so the text can be re-indented anywhere. */
function relative(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line, index) => (index > 0 && line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n')
}

/** Prefixes every line after the first with `indent` (blank lines stay empty). */
function absolute(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line, index) => (index > 0 && line.trim() !== '' ? indent + line : line))
    .join('\n')
}
