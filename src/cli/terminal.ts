/** Text styles the CLI uses; each returns its input unchanged when colour is off. */
export interface Styles {
  bold(text: string): string
  dim(text: string): string
  cyan(text: string): string
  green(text: string): string
  yellow(text: string): string
  red(text: string): string
}

/**
 * Whether to colour output written to `stream`: `NO_COLOR` (any non-empty value) turns colour off,
 * `FORCE_COLOR` (not `0`/`false`) turns it on, otherwise colour only when the stream is a
 * terminal (never when piped or redirected) and `TERM` is not `dumb`. See https://no-color.org.
 */
export function colourEnabled(
  stream: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false
  const force = env['FORCE_COLOR']
  if (force !== undefined) return force !== '0' && force !== 'false'
  return stream.isTTY === true && env['TERM'] !== 'dumb'
}

/** ANSI styles when `enabled`, identity functions otherwise. */
export function createStyles(enabled: boolean): Styles {
  const wrap =
    (open: number, close: number) =>
    (text: string): string =>
      enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    cyan: wrap(36, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    red: wrap(31, 39),
  }
}

/** A running progress indicator: `stop` clears it. */
export interface Spinner {
  stop(): void
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

/**
 * Shows `label` with a spinner and the elapsed seconds on `stream` while a long step runs — only
 * when `stream` is a terminal, so logs and pipes never receive control characters.
 */
export function startSpinner(label: string, stream: NodeJS.WriteStream = process.stderr): Spinner {
  if (stream.isTTY !== true) return { stop: () => {} }
  const started = Date.now()
  let frame = 0
  const draw = (): void => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    stream.write(`\r${FRAMES[frame++ % FRAMES.length]} ${label} ${seconds}s`)
  }
  draw()
  const timer = setInterval(draw, 100)
  return {
    stop() {
      clearInterval(timer)
      stream.write('\r\u001b[2K')
    },
  }
}
