/**
 * The token source helper from its sources: node with tsx's loader, so the
 * tests that start real helpers need no `npm run package` first.
 */
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { HelperScript } from '../../src/token-source/launch.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export const SOURCE_HELPER: HelperScript = {
  script: path.join(ROOT, 'src/token-source/index.ts'),
  execArgv: [
    '--import',
    pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href
  ]
}
