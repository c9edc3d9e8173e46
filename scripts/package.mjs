// Builds the committed bundles: dist/index.js (main) and dist/post/index.js
// (how: scripts/bundle.mjs), undici's CommonJS file and dist/licenses.txt.
import { rmSync, writeFileSync } from 'node:fs'
import { bundle, bundleUndici, writeLicenses } from './bundle.mjs'

rmSync('dist', { recursive: true, force: true })
await bundle('src/index.ts', 'dist')
await bundle('src/post.ts', 'dist/post')
await bundleUndici('dist')

// The bundles are ES modules wherever the action is checked out.
writeFileSync(
  'dist/package.json',
  `${JSON.stringify({ type: 'module' }, null, 2)}\n`
)
writeLicenses('dist/licenses.txt')
