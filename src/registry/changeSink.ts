import { changeReason } from './changeReasons.js'

/** How a schema change affects existing clients. */
export type ChangeLevel = 'breaking' | 'dangerous' | 'safe'

/** One difference between two schemas, classified, with a one-line reason. */
export interface SchemaChange {
  level: ChangeLevel
  /** What kind of change, e.g. `FIELD_REMOVED`, `INPUT_FIELD_TYPE_CHANGED`. */
  type: string
  /**
   * The schema coordinate the change is at: `Query.users`, `Query.users(first:)`,
   * `CreateUserInput.email`, `Status.BANNED`, `@auth`, `@auth(role:)`, `schema.query`.
   */
  coordinate: string
  /** What changed, naming the coordinate, e.g. `Field Query.legacy was removed`. */
  message: string
  /** Why it has this level, in one line. */
  reason: string
}

/** Collects changes as the comparison walks both schemas. */
export class ChangeSink {
  readonly changes: SchemaChange[] = []

  /** Records one change; its reason comes from the table of reasons by type and level. */
  add(level: ChangeLevel, type: string, coordinate: string, message: string): void {
    this.changes.push({ level, type, coordinate, message, reason: changeReason(type, level) })
  }
}
