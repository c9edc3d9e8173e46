// Builds the committed bundles: dist/index.js (main), dist/post/index.js and
// dist/token-source/index.js (the workload identity token source the main
// step starts; how: scripts/bundle.mjs), undici's CommonJS file and
// dist/licenses.txt.
import { rmSync, writeFileSync } from 'node:fs'
import { bundle, bundleUndici, writeLicenses } from './bundle.mjs'

rmSync('dist', { recursive: true, force: true })
await bundle('src/index.ts', 'dist')
await bundle('src/post.ts', 'dist/post')
await bundle('src/token-source/index.ts', 'dist/token-source')
await bundleUndici('dist')

// The bundles are ES modules wherever the action is checked out.
writeFileSync(
  'dist/package.json',
  `${JSON.stringify({ type: 'module' }, null, 2)}\n`
)
writeLicenses('dist/licenses.txt')
