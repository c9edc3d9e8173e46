/**
 * A bounded wait, for the servers' stop: what is under way gets a grace
 * period to finish, never longer.
 */

/**
 * Waits until `work` settles or `ms` have passed, whichever comes first.
 *
 * @param work what is under way (a rejection is passed on)
 * @param ms the longest wait
 */
export async function waitAtMost(
  work: Promise<void>,
  ms: number
): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      work,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms)
      })
    ])
  } finally {
    clearTimeout(timer)
  }
}
