/**
 * File writes for credential files: never through a symlink, never over a
 * file we did not create, always 0600.
 */
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

const { O_CREAT, O_EXCL, O_WRONLY, O_NOFOLLOW } = fs.constants

/**
 * Creates a new file with mode 0600 and writes `content`. Fails if anything
 * (a file, a symlink) already exists at `file`.
 */
export function writeNewFile(file: string, content: string): void {
  const fd = fs.openSync(file, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0o600)
  try {
    fs.writeFileSync(fd, content)
    // The umask can only remove bits; be explicit anyway.
    fs.fchmodSync(fd, 0o600)
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * Replaces `file` atomically (temp file in the same directory, then rename),
 * mode 0600, so a reader never sees half a credential and a crash never
 * leaves none. The rename replaces a symlink rather than following it.
 */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`
  )
  writeNewFile(tmp, content)
  try {
    fs.renameSync(tmp, file)
  } catch (err) {
    fs.rmSync(tmp, { force: true })
    throw err
  }
}
