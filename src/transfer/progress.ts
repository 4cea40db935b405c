/** A progress display: `tick` after each batch, `done` at the end. */
export interface Progress {
  tick(rows: number): void
  done(): void
}

/**
 * A one-line progress bar on `stream` (stderr) when it is a terminal, refreshed at most ten times
 * a second; nothing at all when it is piped or redirected, so logs and files stay clean.
 */
export function createProgress(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (stream.isTTY !== true) return { tick: () => {}, done: () => {} }
  let count = 0
  let last = 0
  const draw = (): void => {
    const width = 30
    const ratio = total > 0 ? Math.min(1, count / total) : 1
    const filled = Math.round(ratio * width)
    stream.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(ratio * 100)
        .toString()
        .padStart(3)}% ${count}/${total} rows`,
    )
  }
  return {
    tick(rows) {
      count += rows
      const now = Date.now()
      if (now - last >= 100) {
        last = now
        draw()
      }
    },
    done() {
      draw()
      stream.write('\n')
    },
  }
}
