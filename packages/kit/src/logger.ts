/** What domain packages log through: the runner (core.*), the CLI (stderr) or a test (memory). */
export interface Logger {
  info(message: string): void
  warning(message: string): void
  error(message: string): void
  debug(message: string): void
}

export const silentLogger: Logger = { info() {}, warning() {}, error() {}, debug() {} }

export function consoleLogger(debug = false): Logger {
  return {
    info: (m) => console.error(m),
    warning: (m) => console.error(`warning: ${m}`),
    error: (m) => console.error(`error: ${m}`),
    debug: (m) => {
      if (debug) console.error(`debug: ${m}`)
    },
  }
}

/** Collects messages; for tests. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    debug: (m) => lines.push(`debug: ${m}`),
  }
}
