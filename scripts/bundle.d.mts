/** Bundles one entry into `dir` as ES module chunks, as dist/ is built. */
export function bundle(input: string, dir: string): Promise<void>
/** undici as one CommonJS file next to the chunks of `dir`. */
export function bundleUndici(dir: string): Promise<void>
/** Writes the licenses of every package bundled so far to `file`. */
export function writeLicenses(file: string): void
