import type { SourceFile } from 'ts-morph'
import { applyEdits } from './textEdits.js'
import type { TextEdit } from './textEdits.js'

/**
 * Applies text edits to a whole source file. ts-morph's `replaceWithText` re-indents multi-line
 * text it inserts, which would shift carefully laid-out code; raw edits keep it exact. Every node
 * of the file must be looked up again afterwards.
 */
export function rewrite(file: SourceFile, edits: readonly TextEdit[]): void {
  if (edits.length === 0) return
  file.replaceWithText(applyEdits(file.getFullText(), edits))
}
