/**
 * The one argument parser of tfpipe: every command declares its flags (defineCommand) and this file
 * enforces the declaration, so a command cannot forget to: unknown flags (with the closest declared
 * one suggested), missing values, a switch given a value, a flag given twice, stray arguments,
 * missing required flags, flags that exclude each other, "exactly one of" groups and flags that need
 * another. `--help` is generated from the same declaration, so it lists exactly what is accepted.
 *
 * Tokenising (`--a=b`, `--`, `-h`) is node's util.parseArgs; it has no notion of required or
 * conflicting flags and its strict-mode errors suggest nothing, so the rules above are written here.
 * The edit distance for suggestions is a few lines: no dependency for it.
 */
import { parseArgs as tokenize } from 'node:util'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { parseBoolean, parseChoice } from '@tfpipe/kit/inputs.js'
import { CliError } from './errors.js'

export interface FlagSpec {
  /** Without the leading dashes: 'env' is given as --env. */
  readonly name: string
  /** Placeholder of the value in help ('ENV', 'FILE'); a flag without one is a switch (--dry-run, --dry-run=false). */
  readonly value?: string
  readonly description: string
  readonly required?: boolean
  /** Value used when the flag is not given (shown in help). */
  readonly default?: string
  /** The accepted values (checked by the parser, shown in help). */
  readonly choices?: readonly string[]
  /** Flags that cannot be given together with this one. */
  readonly conflicts?: readonly string[]
  /** Flags that must be given with this one. */
  readonly requires?: readonly string[]
}

export interface Flags<N extends string = string> {
  /** The value given, else the declared default, else undefined. */
  string(name: N): string | undefined
  /** A switch: true when given as --name or --name=true. */
  bool(name: N): boolean
  /** Whether the flag was on the command line. */
  has(name: N): boolean
}

export interface CommandSpec<F extends readonly FlagSpec[] = readonly FlagSpec[]> {
  /** As typed after `tfpipe`: 'gate', 'state rollback'. */
  readonly name: string
  /** One line, shown in `tfpipe --help` and at the top of the command's help. */
  readonly summary: string
  readonly flags: F
  /** Groups of flags of which exactly one must be given. */
  readonly oneOf?: readonly (readonly F[number]['name'][])[]
  /** Flags refused with a reason (e.g. a secret on the command line); not listed in help. */
  readonly refused?: Readonly<Record<string, string>>
  /** Text after the flag list in help. */
  readonly notes?: string
  run(flags: Flags<F[number]['name']>): Promise<number>
}

/** A command whose first argument picks one of its subcommands (`tfpipe state versions`). */
export interface CommandGroup {
  readonly name: string
  readonly summary: string
  readonly subcommands: readonly CommandSpec[]
  readonly notes?: string
}

export type Command = CommandSpec | CommandGroup

/** Declares a command; the flag names in `run` (and in oneOf) are checked against `flags` by the compiler. */
export function defineCommand<const F extends readonly FlagSpec[]>(spec: CommandSpec<F>): CommandSpec {
  const names = new Set<string>()
  for (const f of spec.flags) {
    if (names.has(f.name) || f.name === 'help') throw new Error(`tfpipe ${spec.name}: flag --${f.name} declared twice`)
    names.add(f.name)
  }
  const known = (n: string): void => {
    if (!names.has(n)) throw new Error(`tfpipe ${spec.name}: --${n} is referred to but not declared`)
  }
  for (const f of spec.flags) [...(f.conflicts ?? []), ...(f.requires ?? [])].forEach(known)
  for (const group of spec.oneOf ?? []) group.forEach(known)
  return spec
}

export const flag = (name: string): string => `--${name}`

/** Levenshtein distance (insert, delete, substitute), for "did you mean". */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[b.length] ?? 0
}

/** The closest candidate: a small edit distance, or one name containing the other (--environment → --env). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestScore = Infinity
  for (const c of candidates) {
    const d = editDistance(word, c)
    const score =
      d <= Math.max(2, Math.floor(c.length / 3))
        ? d
        : c.length >= 3 && (word.startsWith(c) || c.startsWith(word))
          ? 3 + Math.abs(word.length - c.length) / 100
          : Infinity
    if (score < bestScore) {
      best = c
      bestScore = score
    }
  }
  return best
}

function unknownFlag(spec: CommandSpec, raw: string): CliError {
  const names = spec.flags.map((f) => f.name)
  const word = raw.replace(/^-+/, '')
  const suggestion = closest(word, [...names, 'help'])
  if (suggestion) return new CliError(`unknown flag ${raw}; did you mean --${suggestion}?`)
  return new CliError(`unknown flag ${raw}; tfpipe ${spec.name} --help lists its flags.`)
}

/** Parses argv for `spec`, or returns 'help' when -h/--help is given (help wins over every other mistake). */
export function parseFlags<N extends string>(spec: CommandSpec, argv: readonly string[]): Flags<N> | 'help' {
  if (argv.some((a) => a === '--help' || a === '-h')) return 'help'
  const byName = new Map(spec.flags.map((f) => [f.name, f]))
  const options = Object.fromEntries(
    spec.flags.map((f) => [f.name, { type: f.value ? ('string' as const) : ('boolean' as const) }]),
  )
  const { tokens } = tokenize({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true })
  const given = new Map<string, string>()
  let previous: FlagSpec | undefined
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue
    if (token.kind === 'positional') {
      const hint =
        previous && !previous.value
          ? ` (--${previous.name} is a switch and takes no value: write --${previous.name} or --${previous.name}=false)`
          : ''
      throw new CliError(`unexpected argument '${token.value}'${hint}; tfpipe ${spec.name} takes flags only.`)
    }
    previous = undefined
    const refusal = spec.refused?.[token.name]
    if (refusal && token.rawName.startsWith('--')) throw new CliError(`--${token.name} ${refusal}`)
    const f = byName.get(token.name)
    if (!f || !token.rawName.startsWith('--')) throw unknownFlag(spec, token.rawName)
    let value: string
    if (f.value) {
      // A value that looks like a flag is the next flag, not this one's value (write --env=--x to mean it).
      if (token.value === undefined || token.value === '' || (!token.inlineValue && token.value.startsWith('--'))) {
        throw new CliError(`--${f.name} needs a value: --${f.name} ${f.value}.`)
      }
      value = token.value
      if (f.choices) value = parseChoice(`--${f.name}`, value, f.choices)
    } else {
      value = token.inlineValue ? String(parseBoolean(`--${f.name}`, token.value)) : 'true'
      previous = f
    }
    if (given.has(f.name)) throw new CliError(`--${f.name} is given twice; give it once.`)
    given.set(f.name, value)
  }
  for (const f of spec.flags) {
    if (!given.has(f.name)) {
      if (f.required) throw new CliError(`--${f.name} is required.`)
      continue
    }
    for (const other of f.conflicts ?? []) {
      if (given.has(other)) throw new CliError(`--${f.name} and --${other} exclude each other; give one.`)
    }
    for (const other of f.requires ?? []) {
      if (!given.has(other)) throw new CliError(`--${f.name} needs --${other}.`)
    }
  }
  for (const group of spec.oneOf ?? []) {
    const present = group.filter((n) => given.has(n))
    const list = group.map(flag).join(' or ')
    if (present.length === 0) throw new CliError(`give ${list}.`)
    if (present.length > 1) throw new CliError(`give ${list}, not both.`)
  }
  const declared = (name: string, kind: 'value' | 'switch'): FlagSpec => {
    const f = byName.get(name)
    // A programming error, not a user's: the command reads a flag it did not declare (or of another kind).
    if (!f || Boolean(f.value) !== (kind === 'value'))
      throw new Error(`tfpipe ${spec.name} reads --${name} as a ${kind}, which it does not declare`)
    return f
  }
  return {
    string: (name) => given.get(name) ?? declared(name, 'value').default,
    bool: (name) => (declared(name, 'switch'), given.get(name) === 'true'),
    has: (name) => (declared(name, byName.get(name)?.value ? 'value' : 'switch'), given.has(name)),
  }
}

function synopsis(f: FlagSpec): string {
  return f.value ? `--${f.name} ${f.choices ? f.choices.join('|') : f.value}` : `--${f.name}`
}

/** The command's --help, generated from its declaration. */
export function helpText(spec: CommandSpec): string {
  const inGroup = new Set((spec.oneOf ?? []).flat())
  const head = [
    ...spec.flags.filter((f) => f.required).map(synopsis),
    ...(spec.oneOf ?? []).map((g) => `(${g.map((n) => synopsis(spec.flags.find((f) => f.name === n)!)).join(' | ')})`),
  ]
  if (spec.flags.some((f) => !f.required && !inGroup.has(f.name))) head.push('[options]')
  const rows = spec.flags.map((f) => {
    const facts: string[] = []
    if (f.required) facts.push('required')
    const group = spec.oneOf?.find((g) => g.includes(f.name))
    if (group) facts.push(`exactly one of ${group.map(flag).join(', ')}`)
    if (f.default !== undefined) facts.push(`default: ${f.default}`)
    if (f.conflicts?.length) facts.push(`not with ${f.conflicts.map(flag).join(', ')}`)
    if (f.requires?.length) facts.push(`needs ${f.requires.map(flag).join(', ')}`)
    return [synopsis(f), facts.length ? `${f.description} [${facts.join('; ')}]` : f.description] as const
  })
  rows.push(['-h, --help', 'show this help'])
  const width = Math.min(30, Math.max(...rows.map(([s]) => s.length)))
  const lines = rows.map(([s, d]) =>
    s.length > width ? `  ${s}\n  ${' '.repeat(width)}  ${d}` : `  ${s.padEnd(width)}  ${d}`,
  )
  return [
    `usage: tfpipe ${spec.name} ${head.join(' ')}`.trimEnd(),
    '',
    spec.summary,
    '',
    'flags:',
    ...lines,
    ...(spec.notes ? ['', spec.notes] : []),
  ].join('\n')
}

/** Runs a command: parse, print help, or run. Usage mistakes throw CliError (exit 2 in main). */
export async function runCommand(spec: CommandSpec, argv: readonly string[]): Promise<number> {
  const flags = parseFlags(spec, argv)
  if (flags === 'help') {
    console.log(helpText(spec))
    return 0
  }
  return spec.run(flags)
}

/** A user's mistake (a CliError, or kit's ConfigurationError from a shared rule): printed as one line, exit 2. */
export function isUsageError(error: unknown): error is Error {
  return error instanceof CliError || error instanceof ConfigurationError
}
