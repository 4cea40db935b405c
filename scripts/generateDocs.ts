// `npm run docs:generate`: writes the generated references (docs/cli.md, docs/configuration.md).
import { writeFile } from 'node:fs/promises'
import { generatedDocs } from './generatedDocs.js'

for (const [file, text] of await generatedDocs()) {
  await writeFile(file, text)
  console.log(`wrote ${file.pathname.split('/').slice(-2).join('/')}`)
}
