/** A table, view or enum as a description source is asked about it: its SQL name and schema. */
export interface DescribedName {
  name: string
  schema?: string
}

/**
 * Descriptions found outside config, asked by SQL name: TSDoc comments of the models file
 * (see tsdocDescriptions) or PostgreSQL `COMMENT ON`. `readModels` asks each source in
 * precedence order and takes the first answer; config `description` always wins. A source
 * that knows nothing about a name returns undefined.
 */
export interface DescriptionSource {
  /** Where the descriptions come from, for messages (e.g. `TSDoc in src/db/schema.ts`). */
  readonly name: string
  table(table: DescribedName): string | undefined
  /** A column of a table or view, by property key (as in the Drizzle file) and SQL name. */
  column(table: DescribedName, column: { key: string; name: string }): string | undefined
  /** A PostgreSQL enum type by its SQL name. */
  enum(sqlName: string): string | undefined
}
