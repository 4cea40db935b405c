/** One replacement in a text: `[start, end)` becomes `text` (`start === end` inserts). */
export interface TextEdit {
  start: number
  end: number
  text: string
}

/**
 * Applies edits made against the same original text. Edits at one position apply in the order
 * given (so nested rewrites can queue insertions), and replacements must not overlap.
 */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  const ordered = edits.map((edit, index) => ({ edit, index }))
  ordered.sort((a, b) => a.edit.start - b.edit.start || a.index - b.index)
  let out = ''
  let cursor = 0
  for (const { edit } of ordered) {
    if (edit.start < cursor) throw new Error(`Overlapping edits at offset ${edit.start}`)
    out += source.slice(cursor, edit.start) + edit.text
    cursor = edit.end
  }
  return out + source.slice(cursor)
}

/** The whitespace a line starts with, for the line holding `offset`. */
export function lineIndent(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1
  return /^[ \t]*/.exec(source.slice(lineStart))![0]
}

/**
 * The indentation unit a text uses: a tab, or the smallest step by which one line is indented
 * deeper than the line before it (so text indented as a whole, like a template, still reads
 * right); 2 spaces when unclear.
 */
export function indentUnit(source: string): string {
  let smallest = Infinity
  let previous = 0
  for (const line of source.split('\n')) {
    if (line.trim() === '') continue
    if (line.startsWith('\t')) return '\t'
    const spaces = /^ */.exec(line)![0].length
    if (spaces > previous) smallest = Math.min(smallest, spaces - previous)
    previous = spaces
  }
  return smallest === Infinity || smallest > 8 ? '  ' : ' '.repeat(smallest)
}

/** The line number (1-based) of `offset`. */
export function lineOf(source: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++
  return line
}
