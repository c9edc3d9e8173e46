/** Digests of files on disk. */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'

/** sha256 of a file's bytes, hex. */
export function digestFile(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}
