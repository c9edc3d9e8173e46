/**
 * A failure of the crypto layer whose message is one of the user-facing texts
 * in `src/messages/`, so the pipeline can report it to the user unchanged.
 *
 * Programming errors (a seed of the wrong length, an invalid `Date`) are not
 * `CryptoError`s: they throw the built-in `RangeError`, so they never pass for
 * a problem with the user's credential.
 */
export class CryptoError extends Error {
  /**
   * @param message - the user-facing text, taken from `src/messages/`
   * @param options - standard error options; `cause` keeps the low-level error
   *   for debugging without putting its text in front of the user
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'CryptoError'
  }
}
