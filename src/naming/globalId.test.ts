// decodeGlobalId decodes ASCII ids without a Buffer round trip: it must accept and refuse exactly
// what the round-trip definition does (decode, re-encode, compare), for every kind of input.
import { describe, expect, it } from 'vitest'
import { decodeGlobalId, encodeGlobalId } from './globalId.js'

/** The definition: an id is valid when its decoded text re-encodes to the very same id. */
function byRoundTrip(id: string): { typeName: string; pk: string } | 'refused' {
  const text = Buffer.from(id, 'base64').toString('utf8')
  const separator = text.indexOf(':')
  if (separator <= 0 || separator === text.length - 1) return 'refused'
  if (Buffer.from(text, 'utf8').toString('base64') !== id) return 'refused'
  return { typeName: text.slice(0, separator), pk: text.slice(separator + 1) }
}

function decoded(id: string): { typeName: string; pk: string } | 'refused' {
  try {
    return decodeGlobalId(id)
  } catch (error) {
    expect((error as { code?: unknown }).code).toBe('BAD_USER_INPUT')
    return 'refused'
  }
}

/** A small deterministic generator (tests must not flake). */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

describe('decodeGlobalId', () => {
  it('decodes what encodeGlobalId makes, every key length and composite keys', () => {
    for (let length = 0; length < 40; length++) {
      const pk = '7'.repeat(length + 1)
      expect(decodeGlobalId(encodeGlobalId('User', pk))).toEqual({ typeName: 'User', pk })
    }
    expect(decodeGlobalId(encodeGlobalId('Item', [1, 'a"b']))).toEqual({
      typeName: 'Item',
      pk: '["1","a\\"b"]',
    })
    expect(decodeGlobalId(encodeGlobalId('Tag', 'naïve ✓'))).toEqual({ typeName: 'Tag', pk: 'naïve ✓' })
  })

  it('accepts and refuses exactly as the round-trip definition, over mutated and random ids', () => {
    const next = random(18)
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n.:é'
    const ids: string[] = ['', '=', '==', '====', 'VXNlcjox', 'VXNlcjox=', 'VXNlcjo=', 'VXNlcg==']
    const texts = [
      'User:1',
      'User:42',
      'A:b',
      ':1',
      'User:',
      'User',
      'Ü:1',
      'User:\u0000',
      'x:\u007f',
      'x:\u0080',
    ]
    for (const text of texts) ids.push(Buffer.from(text, 'utf8').toString('base64'))
    for (let i = 0; i < 3000; i++) {
      const valid = encodeGlobalId('User', String(Math.floor(next() * 100000)))
      const chars = [...valid]
      const edits = 1 + Math.floor(next() * 2)
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * (chars.length + 1))
        const char = alphabet[Math.floor(next() * alphabet.length)]!
        const kind = next()
        if (kind < 0.4) chars[at] = char
        else if (kind < 0.7) chars.splice(at, 0, char)
        else chars.splice(at, 1)
      }
      ids.push(valid, chars.join(''))
      // Random bytes, base64-encoded: non-canonical padding bits and invalid UTF-8 among them.
      const bytes = Buffer.from(
        Array.from({ length: Math.floor(next() * 12) }, () => Math.floor(next() * 256)),
      )
      const encoded = bytes.toString('base64')
      ids.push(encoded, `${encoded.slice(0, -1)}${alphabet[Math.floor(next() * 64)]}`)
    }
    let accepted = 0
    for (const id of ids) {
      const expected = byRoundTrip(id)
      expect(decoded(id), JSON.stringify(id)).toEqual(expected)
      if (expected !== 'refused') accepted++
    }
    // The corpus exercises both answers.
    expect(accepted).toBeGreaterThan(500)
    expect(ids.length - accepted).toBeGreaterThan(500)
  })
})
