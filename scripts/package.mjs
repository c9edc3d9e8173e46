// Builds the committed bundles: dist/index.js (main) and dist/post/index.js.
//
// Rollup, because of how it splits: a module the entry already loaded stays
// in the entry, and a mode's chunk imports it from there. So an API-key run
// reads one file, and an Agent Identity run five: the entry, its mode's
// chunk, the HTTP chunk, a small shared one and, while it registers, the
// sealed-box chunk, each parsed once. (esbuild splits every module
// shared by two entries into a chunk of its own: five files before any work;
// ncc bundled all of jose and zod for want of tree-shaking.) esbuild still
// does what it is fastest at: stripping types and minifying each chunk.
import { builtinModules } from 'node:module'
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import commonjs from '@rollup/plugin-commonjs'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import { transform } from 'esbuild'
import { rollup } from 'rollup'

const TARGET = 'node20'
const builtins = new Set([
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`)
])

/** Our sources are TypeScript imported with `.js` specifiers, as tsc wants. */
const typescript = {
  name: 'typescript',
  async resolveId(source, importer) {
    if (!importer || importer.includes(`${sep}node_modules${sep}`)) return null
    if (!/^\.\.?\//.test(source) || !source.endsWith('.js')) return null
    return this.resolve(source.replace(/\.js$/, '.ts'), importer, {
      skipSelf: true
    })
  },
  async transform(code, id) {
    if (!id.endsWith('.ts')) return null
    const result = await transform(code, {
      loader: 'ts',
      format: 'esm',
      target: TARGET,
      sourcefile: id
    })
    return { code: result.code, map: null }
  }
}

// CommonJS dependencies keep their `require` calls for node's modules, given
// a `require` of their own. Converted to ESM imports they would build module
// namespaces, and on Node 24 the one of node:http loads undici (about 35 ms).
const CJS_REQUIRE =
  "import{createRequire as __cjsRequire}from'node:module';const require=__cjsRequire(import.meta.url);"
const cjsRequire = {
  name: 'cjs-require',
  transform(code, id) {
    if (!id.includes(`${sep}node_modules${sep}`)) return null
    if (!/\brequire\(/.test(code)) return null
    if (/\b(?:const|let|var|function)\s+require\b/.test(code)) return null
    return { code: CJS_REQUIRE + code, map: null }
  }
}

// src/version.ts imports package.json for the action's version: bundle that
// field alone, so the bundle carries one string, not the whole manifest.
const PACKAGE_JSON = resolve('package.json')
const packageVersion = {
  name: 'package-version',
  load(id) {
    if (id !== PACKAGE_JSON) return null
    const { version } = JSON.parse(readFileSync(id, 'utf8'))
    return { code: `export default ${JSON.stringify({ version })}`, map: null }
  }
}

/** Whitespace and syntax only: libraries read `constructor.name`. */
const minify = {
  name: 'minify',
  async renderChunk(code) {
    const result = await transform(code, {
      format: 'esm',
      target: TARGET,
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: 'none'
    })
    return { code: result.code, map: null }
  }
}

/** The third-party packages bundled, for licenses.txt. */
const packages = new Map()

async function bundle(input, dir) {
  const build = await rollup({
    input: { index: input },
    external: (id) => builtins.has(id),
    plugins: [
      typescript,
      nodeResolve({ exportConditions: ['node'], preferBuiltins: true }),
      commonjs({ ignore: (id) => builtins.has(id) }),
      cjsRequire,
      packageVersion
    ],
    onLog(level, log, handler) {
      // Our modules import each other in cycles only through types and
      // functions called later; rollup orders them correctly. Chunk-merging
      // statistics are info, not news.
      if (log.code === 'CIRCULAR_DEPENDENCY' || level === 'info') return
      handler(level, log)
    }
  })
  const { output } = await build.write({
    dir,
    format: 'es',
    chunkFileNames: '[name]-[hash].js',
    // The tiny modules several modes share go into one file, not one each.
    manualChunks(id) {
      if (
        /[\\/]src[\\/](crypto[\\/]base64|credentials[\\/]plan-type)\.ts$/.test(
          id
        )
      ) {
        return 'shared'
      }
      return undefined
    },
    // Tiny shared modules go into a chunk that loads anyway, not a file each.
    experimentalMinChunkSize: 4096,
    plugins: [minify]
  })
  await build.close()
  for (const chunk of output) {
    for (const [id, module] of Object.entries(chunk.modules ?? {})) {
      if (module.renderedLength > 0) notePackage(id)
    }
  }
}

function notePackage(moduleId) {
  // Virtual modules (the CommonJS wrappers) are named \0path?query.
  const id = moduleId.replace(/^\0/, '').replace(/\?.*$/, '')
  const at = id.lastIndexOf(`${sep}node_modules${sep}`)
  if (at < 0) return
  const rest = id.slice(at + 14).split(sep)
  const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
  const root = id.slice(0, at + 14) + name.split('/').join(sep)
  if (!packages.has(name)) packages.set(name, root)
}

function licenseText(root) {
  const meta = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const file = readdirSync(root).find((f) => /^(licen[cs]e|copying)/i.test(f))
  const text = file ? readFileSync(join(root, file), 'utf8').trim() : ''
  return `${meta.name}\n${meta.license ?? 'UNKNOWN'}\n${text}\n`
}

rmSync('dist', { recursive: true, force: true })
await bundle('src/index.ts', 'dist')
await bundle('src/post.ts', 'dist/post')

// The bundles are ES modules wherever the action is checked out.
const esm = `${JSON.stringify({ type: 'module' }, null, 2)}\n`
writeFileSync('dist/package.json', esm)
const licenses = [...packages.keys()]
  .sort()
  .map((name) => licenseText(packages.get(name)))
  .join('\n')
writeFileSync('dist/licenses.txt', licenses)
