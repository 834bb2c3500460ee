export interface RetryOptions {
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Total time budget; no new attempt starts once it would be exceeded. */
  maxTotalMs?: number
  shouldRetry?: (error: unknown, attempt: number) => boolean
  /** Lets a server-given delay (Retry-After) win over the computed backoff. */
  delayHint?: (error: unknown) => number | undefined
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  now?: () => number
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** "Full jitter" backoff: a random delay between 0 and min(max, base * 2^attempt). */
export function backoffDelay(attempt: number, base: number, max: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(max, base * 2 ** attempt))
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const wait = options.sleep ?? sleep
  const now = options.now ?? Date.now
  const started = now()
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      const last = attempt + 1 >= options.attempts
      if (last || (options.shouldRetry && !options.shouldRetry(error, attempt))) throw error
      const delay =
        options.delayHint?.(error) ?? backoffDelay(attempt, options.baseDelayMs, options.maxDelayMs, options.random)
      if (options.maxTotalMs !== undefined && now() - started + delay > options.maxTotalMs) throw error
      await wait(delay)
    }
  }
}
