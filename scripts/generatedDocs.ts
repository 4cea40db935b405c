import { format } from 'prettier'
import { cliReference } from './cliReference.js'
import { configReference } from './configReference.js'

/** Every generated document (file → Prettier-formatted Markdown), for the generator and its test. */
export async function generatedDocs(): Promise<Array<[URL, string]>> {
  const docs: Array<[string, string]> = [
    ['../docs/cli.md', cliReference()],
    ['../docs/configuration.md', configReference()],
  ]
  return Promise.all(
    docs.map(async ([path, text]): Promise<[URL, string]> => {
      const file = new URL(path, import.meta.url)
      return [
        file,
        await format(text, {
          parser: 'markdown',
          filepath: file.pathname,
          singleQuote: true,
          semi: false,
          printWidth: 110,
          trailingComma: 'all',
        }),
      ]
    }),
  )
}
