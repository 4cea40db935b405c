/** Longest regular expression accepted where patterns are guarded. */
export const MAX_GUARDED_REGEX_LENGTH = 500

const QUANTIFIER = /^(?:[*+?]|\{\d+(?:,\d*)?\})/

/**
 * Why a PostgreSQL regular expression may take exponential or high-polynomial time, or undefined
 * when it is safe to run without a statement timeout: back references (`\1`…, which force
 * PostgreSQL's engine to backtrack: `^(.*)(.*)\2\1!$` over 62 characters ran for seconds),
 * a quantified group that itself holds a quantifier (`(a+)+`), or an overlong pattern. A
 * conservative, static check: it refuses some harmless patterns rather than let one through.
 */
export function unsafeRegexReason(pattern: string): string | undefined {
  if (pattern.length > MAX_GUARDED_REGEX_LENGTH)
    return `it is longer than ${MAX_GUARDED_REGEX_LENGTH} characters`
  // Per open group: whether a quantifier has been seen inside it.
  const groups: boolean[] = []
  let quantifiedInside = false
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!
    if (char === '\\') {
      const next = pattern[i + 1] ?? ''
      if (/[1-9]/.test(next) || next === 'k') return 'it uses a back reference'
      i++
      continue
    }
    if (char === '[') {
      i = endOfBracket(pattern, i)
      continue
    }
    if (char === '(') {
      groups.push(false)
      continue
    }
    if (char === ')') {
      const inner = groups.pop() ?? false
      const quantified = QUANTIFIER.exec(pattern.slice(i + 1))
      if (quantified && inner && quantified[0] !== '?') return 'it repeats a group that itself repeats'
      // The group's contents count as a quantifier for the enclosing group.
      quantifiedInside = inner || quantified !== null
      if (groups.length > 0 && quantifiedInside) groups[groups.length - 1] = true
      continue
    }
    if (QUANTIFIER.test(pattern.slice(i)) && groups.length > 0) groups[groups.length - 1] = true
  }
  return undefined
}

/** Index of the `]` closing the bracket expression opened at `start` (a leading `]` is literal). */
function endOfBracket(pattern: string, start: number): number {
  let i = start + 1
  if (pattern[i] === '^') i++
  if (pattern[i] === ']') i++
  for (; i < pattern.length; i++) {
    if (pattern[i] === '[' && /[:.=]/.test(pattern[i + 1] ?? '')) {
      const close = pattern.indexOf(`${pattern[i + 1]}]`, i + 2)
      if (close !== -1) i = close + 1
      continue
    }
    if (pattern[i] === ']') return i
  }
  return pattern.length
}
