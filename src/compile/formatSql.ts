/**
 * Lays a compiled statement out one clause a line (`select`, `from`, joins, `where`, `order by`,
 * `limit`), each subquery indented one step deeper, for golden files and `explain` output: a
 * diff then shows which clause changed. Quoted text (literals, identifiers) is never touched, and
 * keywords inside an expression's parentheses (`json_agg(… order by …)`, `filter (where …)`) stay
 * on their line. The text is only laid out: whitespace between tokens changes, nothing else.
 */
export function formatSql(text: string): string {
  const out: string[] = []
  // One entry per open parenthesis: whether it opened a subquery (`(select …`).
  const stack: boolean[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (c === "'" || c === '"') {
      const end = quotedEnd(text, i)
      out.push(text.slice(i, end))
      i = end
      continue
    }
    if (c === '(') {
      stack.push(/^\(\s*select\b/i.test(text.slice(i, i + 8)))
      out.push(c)
      i++
      continue
    }
    if (c === ')') {
      stack.pop()
      out.push(c)
      i++
      continue
    }
    const clause = atWordStart(text, i) ? CLAUSE.exec(text.slice(i, i + 12)) : null
    if (clause !== null && (stack.length === 0 || stack[stack.length - 1] === true)) {
      const joined = out.join('').replace(/[ \t]+$/, '')
      out.length = 0
      out.push(joined)
      if (joined.length > 0) out.push(`\n${'  '.repeat(stack.length)}`)
      out.push(clause[0])
      i += clause[0].length
      continue
    }
    out.push(c)
    i++
  }
  return out.join('')
}

const CLAUSE = /^(select|from|where|order by|limit|left join|join|group by)\b/i

function atWordStart(text: string, i: number): boolean {
  return i === 0 || /[\s(]/.test(text[i - 1]!)
}

/** Index just past the quoted token starting at `start` (a doubled quote continues it). */
function quotedEnd(text: string, start: number): number {
  const quote = text[start]!
  let i = start + 1
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) i += 2
      else return i + 1
    } else i++
  }
  return text.length
}
