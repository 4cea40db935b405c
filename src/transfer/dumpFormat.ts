import type { TransferModel } from './transferOrder.js'

/** The `format` of a dump's header line. */
export const DUMP_FORMAT = 'graphql-auto-gen-dump'
/** The dump format version this code writes and reads. */
export const DUMP_VERSION = 1

/** A serial or identity sequence's state, restored exactly by load. */
export interface SequenceState {
  column: string
  lastValue: string
  isCalled: boolean
}

/** One model in the header: where its rows go, how many there are, and its sequences. */
export interface DumpModel extends TransferModel {
  rows: number
  sequences: SequenceState[]
}

/** The first line of a dump. */
export interface DumpHeader {
  format: typeof DUMP_FORMAT
  version: number
  createdAt: string
  /** Models in load order (parents first). */
  models: DumpModel[]
}

/** The last line of a dump; a file without it was cut short. */
export interface DumpTrailer {
  end: true
  rows: number
}

/** The prefix of a row line; the row's JSON (as PostgreSQL wrote it) follows, then `}`. */
export function rowPrefix(model: string): string {
  return `{"model":${JSON.stringify(model)},"row":`
}

/**
 * Splits a row line into model name and the row's JSON text without parsing the row, so numbers
 * inside JSON columns keep every digit. Returns undefined for a line of another shape.
 */
export function splitRowLine(line: string): { model: string; row: string } | undefined {
  const match = /^\{"model":("(?:[^"\\]|\\.)*"),"row":/.exec(line)
  if (!match || !line.endsWith('}')) return undefined
  return { model: JSON.parse(match[1]!) as string, row: line.slice(match[0].length, -1) }
}
