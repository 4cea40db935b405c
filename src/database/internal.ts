import type { SqlStatement, StatementListener } from './Database.js'

/** The listener set both implementations share; internal to this folder. */
export class StatementListeners {
  readonly #listeners = new Set<StatementListener>()

  /** Registers `listener`; the returned function removes it (calling it twice is harmless). */
  add(listener: StatementListener): () => void {
    // Wrapping gives every subscription its own identity, so subscribing the same function twice
    // counts twice and each unsubscribe removes only its own registration.
    const entry: StatementListener = (statement) => listener(statement)
    this.#listeners.add(entry)
    return () => {
      this.#listeners.delete(entry)
    }
  }

  /** Reports one statement to every listener, synchronously, before it is sent. */
  emit(statement: SqlStatement): void {
    for (const listener of this.#listeners) listener(statement)
  }
}

/** How long `ping()` waits for an answer before reporting the database as away. */
export const PING_TIMEOUT_MS = 2_000

/**
 * Resolves to whether `check` succeeded within `timeoutMs`; never rejects. A check that is still
 * running when the timer fires keeps running in the background, its outcome ignored.
 */
export async function succeedsWithin(check: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs)
    // A pending health check must not keep the process alive.
    timer.unref()
  })
  const attempt = (async () => {
    try {
      await check()
      return true
    } catch {
      return false
    }
  })()
  try {
    return await Promise.race([attempt, timedOut])
  } finally {
    clearTimeout(timer)
  }
}
