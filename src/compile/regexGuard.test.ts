import { describe, expect, it } from 'vitest'
import { unsafeRegexReason } from './regexGuard.js'

describe('unsafeRegexReason', () => {
  it.each([
    '^j',
    '^[a-z]+_[a-z]+_[0-9]+$',
    '^[[:upper:]]',
    '(abc)+',
    '(a|b)*c',
    '^(.*)$',
    'a{2,5}b*',
    '[(\\1]+',
    '(foo)?(bar)?',
  ])('accepts %s', (pattern) => {
    expect(unsafeRegexReason(pattern)).toBeUndefined()
  })

  it.each([
    ['^(.*)(.*)(.*)(.*)(.*)\\5\\4\\3\\2\\1!$', 'it uses a back reference'],
    ['(a)\\1', 'it uses a back reference'],
    ['(a+)+$', 'it repeats a group that itself repeats'],
    ['((ab)*c)*', 'it repeats a group that itself repeats'],
    ['(x|y*){3,}', 'it repeats a group that itself repeats'],
    ['((a)+)*', 'it repeats a group that itself repeats'],
    ['a'.repeat(501), 'it is longer than 500 characters'],
  ])('refuses %s', (pattern, reason) => {
    expect(unsafeRegexReason(pattern)).toBe(reason)
  })
})
