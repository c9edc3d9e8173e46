/**
 * The marker file in a primed home. It lets a later run of the action tell a
 * home it primed from a user's home, and lets the post step check that the
 * directory it is about to delete is really one it created.
 */
import * as path from 'node:path'
import { readRegularFile } from '../files/safe-read.js'

/** Marks a home this action primed. */
export const MARKER_FILE = '.codex-auth-action.json'

export interface Marker {
  /** The primed home's own path: a copied marker names another directory. */
  primedHome: string
  /** The home credentials and config were read from. */
  sourceHome: string
}

/** The marker of `home` when it is a home this action primed there. */
export function readMarker(home: string): Marker | undefined {
  let value: unknown
  try {
    value = JSON.parse(readRegularFile(path.join(home, MARKER_FILE)))
  } catch {
    return undefined
  }
  if (value === null || typeof value !== 'object') return undefined
  const marker = value as Partial<Marker>
  if (
    marker.primedHome !== home ||
    typeof marker.sourceHome !== 'string' ||
    marker.sourceHome === ''
  ) {
    return undefined
  }
  return { primedHome: marker.primedHome, sourceHome: marker.sourceHome }
}
