/** Digests of files on disk. */
import { createHash } from 'node:crypto'
import { readRegularBytes } from './safe-read.js'

/** sha256 of a file's bytes, hex (a regular file of at most 1 MiB). */
export function digestFile(file: string): string {
  return createHash('sha256').update(readRegularBytes(file)).digest('hex')
}
