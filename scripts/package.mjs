// Builds the committed bundles: dist/index.js (main) and dist/post/index.js.
// One ncc run per entry; dynamic imports become separate chunks so a mode's
// code is parsed only when that mode runs.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { transform } from 'esbuild'

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

// ncc's --minify only minifies each entry file; the chunks a mode loads on
// demand (jose, zod, the noble ciphers, the mode code) stay as written, and
// node reads and parses every byte of them. ncc's own terser is not
// reachable from outside its bundle, so esbuild minifies them: whitespace and
// syntax only. Identifiers keep their names (as ncc keeps function and class
// names): libraries read `constructor.name`, and renaming measured no faster.
// Licence texts are already in licenses.txt.
for (const dir of ['dist', 'dist/post']) {
  for (const file of readdirSync(dir)) {
    if (!/^\d+\.index\.js$/.test(file)) continue
    const path = join(dir, file)
    const { code } = await transform(readFileSync(path, 'utf8'), {
      minifyWhitespace: true,
      minifySyntax: true,
      format: 'esm',
      target: 'node20',
      legalComments: 'none'
    })
    writeFileSync(path, code)
  }
}
