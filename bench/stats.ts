/** Order statistics for the benchmark's repeated runs. */

/** The q-quantile (0..1) by linear interpolation; NaN for no samples. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (sorted.length - 1) * q
  const lo = Math.floor(at)
  const hi = Math.ceil(at)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo)
}

/** Median and interquartile range of a sample. */
export interface Summary {
  median: number
  p25: number
  p75: number
  min: number
  max: number
  n: number
}

export function summarize(samples: readonly number[]): Summary {
  return {
    median: quantile(samples, 0.5),
    p25: quantile(samples, 0.25),
    p75: quantile(samples, 0.75),
    min: Math.min(...samples),
    max: Math.max(...samples),
    n: samples.length
  }
}

/** `median (p25–p75)` with a fixed number of decimals. */
export function formatSummary(summary: Summary, digits: number): string {
  const f = (n: number): string => n.toFixed(digits)
  return `${f(summary.median)} (${f(summary.p25)}–${f(summary.p75)})`
}
