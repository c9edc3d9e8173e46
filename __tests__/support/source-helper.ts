/**
 * The token source helper from its sources: node with tsx's loader, so the
 * tests that start real helpers need no `npm run package` first.
 */
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { startDevBackend, type DevBackend } from '../../dev/backend/index.js'
import {
  stopTokenSource,
  type HelperScript,
  type TokenSourceHandle
} from '../../src/token-source/launch.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export const SOURCE_HELPER: HelperScript = {
  script: path.join(ROOT, 'src/token-source/index.ts'),
  execArgv: [
    '--import',
    pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href
  ]
}

/**
 * For a test file that starts real helpers: the dev backend (its GitHub OIDC
 * service) for the file, and every handle pushed to `started` stopped, with
 * its directory, after each test.
 */
export function helperTestbed(): {
  backend: () => DevBackend
  started: TokenSourceHandle[]
} {
  let backend: DevBackend | undefined
  const started: TokenSourceHandle[] = []
  beforeAll(async () => {
    backend = await startDevBackend()
  })
  afterAll(async () => {
    await backend?.close()
  })
  afterEach(() => {
    backend?.clearFaults()
    for (const handle of started.splice(0)) stopTokenSource(handle)
  })
  return { backend: () => backend!, started }
}
