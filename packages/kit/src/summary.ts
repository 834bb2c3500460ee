import * as core from '@actions/core'

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

  /**
   * Appends to the job summary through @actions/core's summary API; returns whether there was one to
   * write (GITHUB_STEP_SUMMARY is unset outside Actions, e.g. under the CLI).
   */
  async write(): Promise<boolean> {
    if (!process.env.GITHUB_STEP_SUMMARY) return false
    await core.summary.addRaw(this.toString()).write()
    core.summary.emptyBuffer()
    return true
  }
}
