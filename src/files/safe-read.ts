/**
 * Reads a small file the action does not control (config.toml, auth.json,
 * a primed home's marker) without letting its type or size stall the step:
 * a FIFO would block the read forever and /dev/zero would grow memory
 * without end. The type is checked on the opened descriptor, not the path,
 * so a file swapped after the check is still the one read.
 */
import * as fs from 'node:fs'

/** The most a file the action reads may hold. */
export const MAX_READ_BYTES = 1024 * 1024

/** Why a file could not be read safely. */
export class UnsafeReadError extends Error {
  constructor(
    readonly reason: 'not-regular' | 'too-large',
    message: string
  ) {
    super(message)
    this.name = 'UnsafeReadError'
  }
}

/**
 * Reads a regular file of at most `maxBytes` as UTF-8.
 *
 * @throws the `fs` error (ENOENT, EACCES, ...) when it cannot be opened, or
 *   {@link UnsafeReadError} when it is not a regular file or is too large
 */
export function readRegularFile(
  file: string,
  maxBytes: number = MAX_READ_BYTES
): string {
  return readRegularBytes(file, maxBytes).toString('utf8')
}

/** {@link readRegularFile}, as bytes. */
export function readRegularBytes(
  file: string,
  maxBytes: number = MAX_READ_BYTES
): Buffer {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
  // writer. It changes nothing for a regular file.
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK)
  try {
    if (!fs.fstatSync(fd).isFile()) {
      throw new UnsafeReadError('not-regular', 'not a regular file')
    }
    // Read one byte past the cap: the size in fstat can change under us.
    const buffer = Buffer.alloc(maxBytes + 1)
    let length = 0
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) break
      length += n
      if (length > maxBytes) {
        throw new UnsafeReadError(
          'too-large',
          `larger than ${formatBytes(maxBytes)}`
        )
      }
    }
    return buffer.subarray(0, length)
  } finally {
    fs.closeSync(fd)
  }
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : `${bytes} bytes`
}
