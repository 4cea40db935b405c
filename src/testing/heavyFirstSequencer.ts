// Starts the slowest test files first, so that with several workers no long file starts last and
// runs alone at the end. vitest orders by the durations of earlier runs when it has them; a fresh
// clone (CI) has none, and vitest then starts the biggest files first, while the slowest files here
// are short ones that start the CLI or PGlite many times.
import { BaseSequencer } from 'vitest/node'
import type { TestSpecification } from 'vitest/node'

/** Test files that take the longest, slowest first (paths relative to the repository root). */
export const HEAVY_TEST_FILES: readonly string[] = [
  'test/docs.test.ts',
  'src/cli/commands/schemaRegistry.test.ts',
  'src/transfer/transfer.test.ts',
  'src/migrate/migrate.test.ts',
  'src/cli/commands/doctor.test.ts',
  'src/schema/pagination.test.ts',
  'src/cli/commands/schema.test.ts',
  'src/cli/commands/drizzlePush.test.ts',
  'src/cli/checkDatabase.test.ts',
  'src/database/database.test.ts',
  'src/cli/commands/explain.test.ts',
  'src/limits/responseErrors.test.ts',
  'src/cli/commands/init.test.ts',
  'test/corpus/corpus.test.ts',
  'test/quickStart.test.ts',
  'src/transfer/tablesAsTheyAre.test.ts',
  'src/schema/permissions.test.ts',
  'src/models/tsdocDescriptions.test.ts',
  'test/fuzz/queries.test.ts',
]

/** vitest's sequencer with {@link HEAVY_TEST_FILES} moved to the front, in that order. */
export class HeavyFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root.replace(/\/?$/, '/')
    const rank = (file: TestSpecification): number => {
      const index = HEAVY_TEST_FILES.indexOf(file.moduleId.replace(root, ''))
      return index === -1 ? HEAVY_TEST_FILES.length : index
    }
    const sorted = await super.sort(files)
    // Projects stay in vitest's order (it runs them one after the other); within one, heavy files
    // first, and Array.prototype.sort is stable: the other files keep vitest's order.
    const projects = [...new Set(sorted.map((file) => file.project.name))]
    const project = (file: TestSpecification): number => projects.indexOf(file.project.name)
    return sorted.sort((a, b) => project(a) - project(b) || rank(a) - rank(b))
  }
}
