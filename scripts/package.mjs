// Builds the committed bundles: dist/index.js (main) and dist/post/index.js.
// One ncc run per entry; dynamic imports become separate chunks so a mode's
// code is parsed only when that mode runs.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'

rmSync('dist', { recursive: true, force: true })
const ncc = (entry, out) =>
  execFileSync(
    'npx',
    [
      'ncc',
      'build',
      entry,
      '-o',
      out,
      '--minify',
      '--no-source-map-register',
      '--license',
      'licenses.txt',
      '-q'
    ],
    { stdio: 'inherit' }
  )
ncc('src/index.ts', 'dist')
ncc('src/post.ts', 'dist/post')
