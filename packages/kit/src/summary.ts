import { appendFileSync, existsSync } from 'node:fs'

/** GitHub refuses a step summary over 1 MiB; keep a margin for what the runner adds. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 8 * 1024

/**
 * Builds a job summary that never exceeds the 1 MiB step limit. `add` refuses (returns false) a part
 * that would not fit, so the caller can add a shorter variant or a pointer instead.
 */
export class SummaryBuilder {
  private parts: string[] = []
  private bytes = 0

  constructor(private readonly limit = SUMMARY_LIMIT_BYTES) {}

  get size(): number {
    return this.bytes
  }

  remaining(): number {
    return this.limit - this.bytes
  }

  add(markdown: string): boolean {
    const text = markdown.endsWith('\n') ? markdown : `${markdown}\n`
    const size = Buffer.byteLength(text, 'utf8')
    if (this.bytes + size > this.limit) return false
    this.parts.push(text)
    this.bytes += size
    return true
  }

  toString(): string {
    return this.parts.join('')
  }

  /** Appends to GITHUB_STEP_SUMMARY when the runner provides it; returns whether it wrote. */
  write(path = process.env.GITHUB_STEP_SUMMARY): boolean {
    if (!path || (!existsSync(path) && !path.startsWith('/'))) return false
    appendFileSync(path, this.toString(), 'utf8')
    return true
  }
}
