// On a terminal, `serve` logs one readable line per event instead of a JSON object; piped, in a
// file or with NODE_ENV=production the lines stay JSON (what log collectors parse).
import type { DestinationStream } from 'pino'
import { createStyles } from './terminal.js'

/** pino's numeric levels, by name as printed. */
const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
}

/** Keys every line has, or that the line's head already shows. */
const SHOWN_ELSEWHERE = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'requestId'])

/** Whether `serve` should log readable lines: a terminal, and not production. */
export function readableLogs(stdout: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stdout.isTTY === true && env['NODE_ENV'] !== 'production'
}

/** A pino destination writing `12:30:01 INFO graphql operation operationName=Users durationMs=3.1 …`. */
export function readableLogDestination(
  out: { write(text: string): unknown },
  colour: boolean,
): DestinationStream {
  const style = createStyles(colour)
  return {
    write(line: string) {
      out.write(`${formatLogLine(line, style)}\n`)
    },
  }
}

/** One JSON log line as readable text (a line that is not JSON is passed through). */
export function formatLogLine(line: string, style = createStyles(false)): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line.trimEnd()
  }
  const time = new Date(Number(entry['time'] ?? Date.now())).toISOString().slice(11, 19)
  const level = LEVEL_NAMES[Number(entry['level'])] ?? String(entry['level'])
  const paint =
    Number(entry['level']) >= 50 ? style.red : Number(entry['level']) >= 40 ? style.yellow : style.dim
  const fields = Object.entries(entry)
    .filter(([key, value]) => !SHOWN_ELSEWHERE.has(key) && value !== undefined)
    .map(([key, value]) => `${style.dim(`${key}=`)}${fieldText(value)}`)
  return [style.dim(time), paint(level.padEnd(5)), String(entry['msg'] ?? ''), ...fields].join(' ')
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value
  if (value !== null && typeof value === 'object' && 'message' in value)
    return JSON.stringify((value as { message: unknown }).message)
  return JSON.stringify(value)
}
