/**
 * The size of dist/, and which of its files one run actually loads (through
 * a module-loading hook, in probe runs only): the bytes node has to read and
 * parse for a mode.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { NodeRun } from './measure.js'

export interface DistSize {
  totalBytes: number
  files: number
  /** dist/index.js, parsed by every run. */
  mainBytes: number
  /** dist/post/index.js. */
  postBytes: number
}

export function distSize(dist: string): DistSize {
  let totalBytes = 0
  let files = 0
  for (const entry of fs.readdirSync(dist, {
    recursive: true,
    withFileTypes: true
  })) {
    if (!entry.isFile()) continue
    files++
    totalBytes += fs.statSync(path.join(entry.parentPath, entry.name)).size
  }
  const size = (file: string): number =>
    fs.existsSync(file) ? fs.statSync(file).size : 0
  return {
    totalBytes,
    files,
    mainBytes: size(path.join(dist, 'index.js')),
    postBytes: size(path.join(dist, 'post/index.js'))
  }
}

/**
 * Writes the preload that records every module node loads into the file
 * named by BENCH_LOADED_FILE, and returns a function that adds it to a run.
 */
export function moduleTracer(scratch: string): {
  trace(run: NodeRun, report: string): NodeRun
  loaded(report: string): string[]
} {
  const hooks = path.join(scratch, 'trace-hooks.mjs')
  const preload = path.join(scratch, 'trace-preload.mjs')
  fs.writeFileSync(
    hooks,
    "import { appendFileSync } from 'node:fs'\n" +
      'export async function load(url, context, next) {\n' +
      "  if (url.startsWith('file:')) appendFileSync(process.env.BENCH_LOADED_FILE, url + '\\n')\n" +
      '  return next(url, context)\n' +
      '}\n'
  )
  fs.writeFileSync(
    preload,
    "import { register } from 'node:module'\n" +
      `register(${JSON.stringify(pathToFileURL(hooks).href)})\n`
  )
  return {
    trace: (run, report) => ({
      ...run,
      args: ['--import', pathToFileURL(preload).href, ...run.args],
      env: { ...run.env, BENCH_LOADED_FILE: report }
    }),
    loaded: (report) =>
      fs.existsSync(report)
        ? [
            ...new Set(
              fs
                .readFileSync(report, 'utf8')
                .split('\n')
                .filter((u) => u !== '')
                .map((u) => fileURLToPath(u))
            )
          ]
        : []
  }
}

/** Total size of the loaded files that live under `dist`. */
export function loadedDistBytes(
  dist: string,
  loaded: readonly string[]
): { bytes: number; files: string[] } {
  const files = loaded.filter((f) => f.startsWith(dist + path.sep))
  return {
    bytes: files.reduce((sum, f) => sum + fs.statSync(f).size, 0),
    files: files.map((f) => path.relative(dist, f))
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(2)} MiB`
  return `${(bytes / 1024).toFixed(0)} KiB`
}
