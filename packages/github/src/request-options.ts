/** A string field of Octokit's untyped request options (`fallback` when absent or not a string). */
export function stringOption(options: Record<string, unknown>, key: string, fallback: string): string {
  const value = options[key]
  return typeof value === 'string' ? value : fallback
}
