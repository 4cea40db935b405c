// A test helper for config errors, kept inside config/ because config is the ground floor: its own
// tests may not import src/testing (eslint's restricted-paths zone), and later stages' tests reuse it.
import { expect } from 'vitest'
import { ConfigError } from '../../errors.js'

/** Runs `run`, asserts it throws a ConfigError, and returns that error. */
export function configError(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('expected a ConfigError')
}
