import { CliError } from './errors.js'

/** Parses `--name value`, `--name=value` and bare `--flag` (true); the rest are positionals. */
export function parseArgs(args: string[], booleans: readonly string[] = []): { flags: Map<string, string>; positionals: string[] } {
  const flags = new Map<string, string>()
  const positionals: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (!arg.startsWith('--')) {
      positionals.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq)
    if (eq !== -1) flags.set(name, arg.slice(eq + 1))
    else if (booleans.includes(name)) flags.set(name, 'true')
    else {
      const value = args[i + 1]
      if (value === undefined || value.startsWith('--')) throw new CliError(`--${name} needs a value.`)
      flags.set(name, value)
      i++
    }
  }
  return { flags, positionals }
}

export function requireFlag(flags: Map<string, string>, name: string): string {
  const value = flags.get(name)
  if (value === undefined || value === '') throw new CliError(`--${name} is required.`)
  return value
}
