// How the action is bundled (scripts/package.mjs builds dist/ with it; the
// benchmark bundles its reference script the same way).
//
// Rollup (as GitHub's actions/typescript-action template), because it
// tree-shakes the libraries (jose, zod, @actions/*) and its plugins decide
// how a dependency is loaded. esbuild does what it is fastest at: stripping
// types and minifying each chunk.
//
// Three settings keep start-up close to an empty module:
// - Node's own modules become lazy `require` calls, never ESM imports. An
//   ESM import of a builtin builds its namespace by reading every export, and
//   on Node 24 one export of node:http loads undici (~27 ms); required, a
//   module is loaded on first use and nothing it loads lazily is touched.
// - undici, which @actions/http-client imports only for getAgentDispatcher
//   (never called here), is a separate CommonJS file that a stub requires on
//   first construction of a ProxyAgent, so a run never reads it.
// - The entry only starts the run: everything it loads sits in a chunk of
//   its own, so no chunk imports the entry back and importing a chunk has no
//   side effect. (The main step's entry first starts a keyless token source,
//   from an `early` chunk it reads only when the step may be keyless, and
//   then imports its run chunk.)
import { builtinModules } from 'node:module'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
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

const REQUIRE = '\0require'
const BUILTIN = '\0builtin:'
const UNDICI = '\0undici'
/** The CommonJS bundle of undici, next to the chunks that may require it. */
const UNDICI_FILE = 'undici.cjs'

/**
 * Every builtin becomes a module whose default export is a proxy that
 * requires the builtin on first property access; its named exports are
 * property reads of that default (rollup `syntheticNamedExports`), made
 * where they are used. So a module that imports node:crypto costs nothing
 * until it hashes.
 */
const builtinsAsRequire = {
  name: 'builtins-as-require',
  resolveId(source) {
    if (source === REQUIRE || source.startsWith(BUILTIN)) return source
    if (!builtins.has(source)) return null
    if (source === 'node:module' || source === 'module') {
      return { id: 'node:module', external: true, moduleSideEffects: false }
    }
    return BUILTIN + source.replace(/^node:/, '')
  },
  // A namespace import would make rollup copy every export into a namespace
  // object, loading the module; the proxy itself serves as the namespace.
  transform(code) {
    return code.replace(
      /import\s*\*\s*as\s+([\w$]+)\s+from\s*(['"])([^'"]+)\2/g,
      (all, name, _quote, source) =>
        builtins.has(source) ? `import ${name} from '${source}'` : all
    )
  },
  load(id) {
    if (id === REQUIRE) {
      return (
        "import { createRequire } from 'node:module'\n" +
        'export default createRequire(import.meta.url)\n'
      )
    }
    if (!id.startsWith(BUILTIN)) return null
    const name = JSON.stringify(`node:${id.slice(BUILTIN.length)}`)
    return {
      code:
        `import require from '${REQUIRE}'\n` +
        'let m\n' +
        `const load = () => (m ??= require(${name}))\n` +
        'export default new Proxy({}, {\n' +
        '  get: (_, key) => load()[key],\n' +
        '  has: (_, key) => key in load(),\n' +
        '  ownKeys: () => Reflect.ownKeys(load()),\n' +
        '  getOwnPropertyDescriptor: (_, key) => {\n' +
        '    const d = Reflect.getOwnPropertyDescriptor(load(), key)\n' +
        '    return d && { ...d, configurable: true }\n' +
        '  }\n' +
        '})\n',
      syntheticNamedExports: true,
      moduleSideEffects: false
    }
  }
}

/**
 * `crypto` for @actions/core's file commands, which use `randomUUID()` only
 * to draw a heredoc delimiter. Loading node:crypto for that costs every run
 * more than the rest of the runner IO (about 5 ms). The delimiter needs no
 * cryptographic strength: core refuses a name or value that contains it, and
 * that refusal is what keeps a value from ending its entry early. So core's
 * file-command module gets a `randomUUID` from Math.random; nothing else
 * does.
 */
const CORE_DELIMITER = '\0core-delimiter'
const coreDelimiter = {
  name: 'core-delimiter',
  resolveId(source, importer) {
    if (source === CORE_DELIMITER) return source
    const fileCommand = /[\\/]@actions[\\/]core[\\/]lib[\\/]file-command\.js$/
    if (
      (source === 'crypto' || source === 'node:crypto') &&
      fileCommand.test(importer ?? '')
    ) {
      return CORE_DELIMITER
    }
    return null
  },
  load(id) {
    if (id !== CORE_DELIMITER) return null
    return {
      code:
        'const hex = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join("")\n' +
        'export function randomUUID() {\n' +
        '  return `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[Math.floor(Math.random() * 4)]}${hex(3)}-${hex(12)}`\n' +
        '}\n' +
        // builtins-as-require turns core's namespace import into a default one.
        'export default { randomUUID }\n',
      moduleSideEffects: false
    }
  }
}

/**
 * stdout for @actions/core's log lines. `process.stdout` is a stream object
 * that Node builds on first use, and building it costs a run more than all
 * the lines the action prints (about 4 ms on Node 20). Core's three writes
 * go to fd 1 with `fs.writeSync` instead, synchronously and in call order.
 * If fd 1 refuses a write (EAGAIN from a full non-blocking pipe, or any
 * other error), the rest of that line and every later one go through
 * `process.stdout` after all, so nothing is lost and the order holds.
 */
const CORE_STDOUT = '\0core-stdout'
const CORE_LOG = /[\\/]@actions[\\/]core[\\/]lib[\\/](command|core)\.js$/
const coreStdout = {
  name: 'core-stdout',
  resolveId(source) {
    return source === CORE_STDOUT ? source : null
  },
  load(id) {
    if (id !== CORE_STDOUT) return null
    return {
      code:
        `import require from '${REQUIRE}'\n` +
        'let direct = true\n' +
        'export function writeStdout(text) {\n' +
        "  const bytes = Buffer.from(String(text), 'utf8')\n" +
        '  let offset = 0\n' +
        '  while (direct && offset < bytes.length) {\n' +
        '    try {\n' +
        "      const n = require('node:fs').writeSync(1, bytes, offset)\n" +
        '      if (n > 0) offset += n\n' +
        '      else direct = false\n' +
        '    } catch {\n' +
        '      direct = false\n' +
        '    }\n' +
        '  }\n' +
        '  if (offset < bytes.length) process.stdout.write(bytes.subarray(offset))\n' +
        '  return true\n' +
        '}\n',
      moduleSideEffects: false
    }
  },
  transform(code, id) {
    if (!CORE_LOG.test(id)) return null
    const out = code.replace(/process\.stdout\.write\(/g, '__writeStdout(')
    if (out === code) {
      this.error(`core-stdout: no process.stdout.write in ${id}`)
    }
    return {
      code: `import { writeStdout as __writeStdout } from '${CORE_STDOUT}';\n${out}`,
      map: null
    }
  }
}

/**
 * `undici` for @actions/http-client: a ProxyAgent that requires the real
 * undici (bundled on its own as UNDICI_FILE) when first constructed.
 */
const lazyUndici = {
  name: 'lazy-undici',
  resolveId(source) {
    if (source === 'undici' || source === UNDICI) return UNDICI
    return null
  },
  load(id) {
    if (id !== UNDICI) return null
    return {
      code:
        `import require from '${REQUIRE}'\n` +
        'let undici\n' +
        'export class ProxyAgent {\n' +
        '  constructor(...args) {\n' +
        `    undici ??= require('./${UNDICI_FILE}')\n` +
        '    return new undici.ProxyAgent(...args)\n' +
        '  }\n' +
        '}\n',
      moduleSideEffects: false
    }
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
const minify = (format) => ({
  name: 'minify',
  async renderChunk(code) {
    const result = await transform(code, {
      format,
      target: TARGET,
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: 'none'
    })
    return { code: result.code, map: null }
  }
})

/** The HTTP client and its proxy tunnel, loaded only to make a request. */
const HTTP_CLIENT =
  /[\\/]node_modules[\\/](@actions[\\/]http-client|tunnel)[\\/]/

/** smol-toml's parser, reached from its entry but only called on demand. */
const TOML_PARSER =
  /[\\/]smol-toml[\\/]dist[\\/](parse|extract|struct|primitive|util|date|error)\.js$/

/** The source home's config.toml reader: goes with the parser. */
const CONFIG_READER = /[\\/]src[\\/]sources[\\/]config-toml\.ts$/

/** Small modules the networked modes share: one chunk for all of them. */
const MODES_SHARE =
  /[\\/]src[\\/](clients[\\/](reply|http[\\/]target)|credentials[\\/](plan-type|schema))\.ts$/

/** Packages that do nothing at the top level but define things. */
const NO_SIDE_EFFECTS =
  /[\\/]node_modules[\\/](@actions[\\/](core|exec|http-client|io)|tunnel|smol-toml)[\\/]/

const QUIET = new Set([
  // Our modules and some libraries import each other in cycles only through
  // types and functions called later; rollup orders them correctly.
  'CIRCULAR_DEPENDENCY',
  // TypeScript's __awaiter helper at the top of @actions/* modules.
  'THIS_IS_UNDEFINED',
  // zod's explanatory comments next to its pure annotations.
  'INVALID_ANNOTATION'
])

function onLog(level, log, handler) {
  // Chunk-merging statistics are info, not news.
  if (QUIET.has(log.code) || level === 'info') return
  handler(level, log)
}

/** The third-party packages bundled, for licenses.txt. */
const packages = new Map()

function notePackages(output) {
  for (const chunk of output) {
    for (const [id, module] of Object.entries(chunk.modules ?? {})) {
      if (module.renderedLength > 0) notePackage(id)
    }
  }
}

/**
 * The main step's early start of a keyless token source. The entry imports
 * it before the run, and only when the step may be keyless.
 */
const EARLY_START = /[\\/]src[\\/]token-source[\\/]early\.ts$/

/**
 * Modules the entry loads statically go into one `run` chunk: the entry
 * itself keeps only the call that starts the run, and the lazily loaded
 * chunks import shared code from `run`, never from the entry. An entry that
 * loads its run dynamically (the main step) gets the same `run` chunk from
 * what those imports load statically; if it also imports the early start,
 * that goes into an `early` chunk, and what the early start and the run
 * share (errors, Node's modules) into a `base` chunk, so a step that is not
 * keyless never reads the early start and a keyless one starts it before
 * the run is read.
 */
function runChunk(entryId) {
  let chunks
  return (id, { getModuleInfo }) => {
    if (!chunks) {
      const closure = (roots, exclude) => {
        const found = new Set()
        const stack = [...roots]
        while (stack.length > 0) {
          const info = getModuleInfo(stack.pop())
          if (!info) continue
          for (const next of info.importedIds) {
            // Through modules the run uses, not the ones tree-shaking dropped.
            if (getModuleInfo(next)?.isIncluded === false) continue
            if (!found.has(next) && !exclude.has(next)) {
              found.add(next)
              stack.push(next)
            }
          }
        }
        return found
      }
      const started = getModuleInfo(entryId)?.dynamicallyImportedIds ?? []
      const early = started.filter((m) => EARLY_START.test(m))
      const runRoots = started.filter((m) => !EARLY_START.test(m))
      const run =
        started.length === 0
          ? closure([entryId], new Set())
          : new Set([...runRoots, ...closure(runRoots, new Set())])
      const earlyStart = new Set([...early, ...closure(early, new Set())])
      chunks = new Map()
      for (const m of run) chunks.set(m, 'run')
      for (const m of earlyStart) chunks.set(m, run.has(m) ? 'base' : 'early')
    }
    const chunk = chunks.get(id)
    if (chunk === 'early' || chunk === 'base') return chunk
    // Rollup pulls every dependency of a manual chunk's modules into it,
    // even through modules tree-shaking dropped: core's OIDC client (never
    // called) imports @actions/http-client, which imports tunnel, and
    // smol-toml's entry re-exports its parser next to the serializer every
    // run uses. The client is only used by the networked modes' requests, the
    // parser only for a config.toml or an /etc/codex to read: each gets a
    // chunk of its own, which an API-key run in a bare home never reads.
    // (An entry that makes requests at once, the token source helper, keeps
    // the client in its run chunk: split off, the two chunks would import
    // each other and run in the wrong order.)
    if (
      HTTP_CLIENT.test(id) &&
      getModuleInfo(id)?.isIncluded &&
      !chunks.has(id)
    ) {
      return 'http'
    }
    if (TOML_PARSER.test(id) && getModuleInfo(id)?.isIncluded) return 'toml'
    if (chunk === 'run') return 'run'
    // Left to itself, rollup merges the small modules the modes share into
    // whichever lazy chunk it likes (the config.toml reader, say), and every
    // mode would then load that chunk's code too.
    if (CONFIG_READER.test(id)) return 'toml'
    if (MODES_SHARE.test(id)) return 'shared'
    return undefined
  }
}

/**
 * Bundles one entry into `dir` as ES module chunks.
 *
 * @param {string} input - the entry (src/index.ts)
 * @param {string} dir - the output directory
 */
export async function bundle(input, dir) {
  const build = await rollup({
    input: { index: input },
    plugins: [
      coreDelimiter,
      coreStdout,
      builtinsAsRequire,
      lazyUndici,
      packageVersion,
      typescript,
      nodeResolve({ exportConditions: ['node'], preferBuiltins: true }),
      // A builtin required by a CommonJS package is the proxy itself.
      commonjs({ requireReturnsDefault: (id) => id.startsWith(BUILTIN) })
    ],
    // Packages whose exports go unused are left out (core's OIDC client
    // imports @actions/http-client, which imports tunnel).
    treeshake: {
      moduleSideEffects: (id) => !NO_SIDE_EFFECTS.test(id)
    },
    onLog
  })
  const { output } = await build.write({
    dir,
    format: 'es',
    chunkFileNames: '[name]-[hash].js',
    // The entry imports the run chunk and nothing else.
    hoistTransitiveImports: false,
    manualChunks: runChunk(resolve(input)),
    // Tiny shared modules go into a chunk that loads anyway, not a file each.
    experimentalMinChunkSize: 4096,
    plugins: [minify('esm')]
  })
  await build.close()
  notePackages(output)
}

/**
 * undici as one CommonJS file (it is CommonJS itself), for the stub; next to
 * the chunks of `dir`.
 */
export async function bundleUndici(dir) {
  const build = await rollup({
    input: 'undici',
    external: (id) => builtins.has(id),
    plugins: [
      nodeResolve({ exportConditions: ['node'], preferBuiltins: true }),
      commonjs({ ignore: (id) => builtins.has(id) })
    ],
    onLog
  })
  const { output } = await build.write({
    file: join(dir, UNDICI_FILE),
    format: 'cjs',
    exports: 'auto',
    inlineDynamicImports: true,
    plugins: [minify('cjs')]
  })
  await build.close()
  notePackages(output)
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

/** Writes the licenses of every package bundled so far to `file`. */
export function writeLicenses(file) {
  const licenses = [...packages.keys()]
    .sort()
    .map((name) => licenseText(packages.get(name)))
    .join('\n')
  writeFileSync(file, licenses)
}
