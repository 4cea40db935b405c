/** What a note tells the user: a change made, something to do by hand, or something to check. */
export type NoteKind = 'change' | 'manual' | 'warning'

/** One line of the migration report about a file. */
export interface Note {
  kind: NoteKind
  /** The step that produced it, e.g. `1.0→2.0`. */
  step: string
  message: string
  /** 1-based line in the file as it was when the step ran, when known. */
  line?: number
}

/** The marker put in comments the user must act on; `grep` for it to find every manual step. */
export const TODO = 'TODO(graphql-auto-gen migrate)'

/** Collects notes for one file and one step. */
export class NoteSink {
  readonly notes: Note[] = []
  constructor(readonly step: string) {}

  /** Records a change that was made. */
  change(message: string, line?: number): void {
    this.#add('change', message, line)
  }

  /** Records something the user must do by hand (makes the command exit 1). */
  manual(message: string, line?: number): void {
    this.#add('manual', message, line)
  }

  /** Records something the user should check. */
  warning(message: string, line?: number): void {
    this.#add('warning', message, line)
  }

  #add(kind: NoteKind, message: string, line: number | undefined): void {
    this.notes.push({ kind, step: this.step, message, ...(line !== undefined ? { line } : {}) })
  }
}
