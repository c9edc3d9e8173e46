/**
 * Kept only for the HTTP clients, which still check their replies by hand;
 * credentials are validated by the schemas in `schema.ts`. Goes when the
 * clients validate with zod.
 */

/** A decoded JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
