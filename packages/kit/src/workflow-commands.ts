import { appendFileSync, existsSync } from 'node:fs'
import { EOL } from 'node:os'

/**
 * The runner contract the actions need, written to the exact formats of @actions/core 3.0.1
 * (lib/core.js, lib/command.js, lib/file-command.js, lib/utils.js): reading it costs nothing at start-up,
 * while @actions/core pulls @actions/http-client and undici (for OIDC) into every bundle's main chunk.
 * __tests__/unit/kit/workflow-commands.test.ts compares every function's output with @actions/core's.
 *
 *  - inputs: `INPUT_<NAME>` (spaces to `_`, upper-cased), trimmed unless trimWhitespace is false;
 *  - workflow commands on stdout: `::name key=value,key=value::message` + EOL, message escaped
 *    (`%` `\r` `\n`), property values too (plus `:` `,`); properties with an empty value are left out;
 *  - outputs: appended to the GITHUB_OUTPUT file as `name<<ghadelimiter_<uuid>` EOL value EOL delimiter EOL;
 *    without GITHUB_OUTPUT, EOL then `::set-output name=<name>::value` on stdout.
 */

export interface AnnotationProperties {
  title?: string
  file?: string
  startLine?: number
  endLine?: number
  startColumn?: number
  endColumn?: number
}

type CommandProperties = Record<string, unknown>

/** null/undefined -> '', strings as they are, anything else as JSON (utils.toCommandValue). */
export function toCommandValue(input: unknown): string {
  if (input === null || input === undefined) return ''
  if (typeof input === 'string' || input instanceof String) return String(input)
  return JSON.stringify(input)
}

function escapeData(s: unknown): string {
  return toCommandValue(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(s: unknown): string {
  return toCommandValue(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/** The text of one workflow command, without the line end (command.Command#toString). */
export function formatCommand(command: string, properties: CommandProperties, message: unknown): string {
  let out = `::${command || 'missing.command'}`
  if (properties && Object.keys(properties).length > 0) {
    out += ' '
    let first = true
    for (const key in properties) {
      if (!Object.prototype.hasOwnProperty.call(properties, key)) continue
      const val = properties[key]
      if (!val) continue
      if (first) first = false
      else out += ','
      out += `${key}=${escapeProperty(val)}`
    }
  }
  return `${out}::${escapeData(message)}`
}

export function issueCommand(command: string, properties: CommandProperties, message: unknown): void {
  process.stdout.write(formatCommand(command, properties, message) + EOL)
}

function toCommandProperties(p: AnnotationProperties): CommandProperties {
  if (!Object.keys(p).length) return {}
  return { title: p.title, file: p.file, line: p.startLine, endLine: p.endLine, col: p.startColumn, endColumn: p.endColumn }
}

function annotationText(message: string | Error): string {
  return message instanceof Error ? message.toString() : message
}

export function getInput(name: string, options?: { required?: boolean; trimWhitespace?: boolean }): string {
  const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || ''
  if (options && options.required && !val) throw new Error(`Input required and not supplied: ${name}`)
  if (options && options.trimWhitespace === false) return val
  return val.trim()
}

/** The GITHUB_OUTPUT entry for one output (file-command.prepareKeyValueMessage). */
export function prepareKeyValueMessage(key: string, value: unknown, delimiter = `ghadelimiter_${globalThis.crypto.randomUUID()}`): string {
  const convertedValue = toCommandValue(value)
  if (key.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`)
  if (convertedValue.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`)
  return `${key}<<${delimiter}${EOL}${convertedValue}${EOL}${delimiter}`
}

function issueFileCommand(command: string, message: string): void {
  const filePath = process.env[`GITHUB_${command}`]
  if (!filePath) throw new Error(`Unable to find environment variable for file command ${command}`)
  if (!existsSync(filePath)) throw new Error(`Missing file at path: ${filePath}`)
  appendFileSync(filePath, `${toCommandValue(message)}${EOL}`, { encoding: 'utf8' })
}

export function setOutput(name: string, value: unknown): void {
  const filePath = process.env.GITHUB_OUTPUT || ''
  if (filePath) {
    issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value))
    return
  }
  process.stdout.write(EOL)
  issueCommand('set-output', { name }, toCommandValue(value))
}

export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret)
}

export function setFailed(message: string | Error): void {
  process.exitCode = 1
  error(message)
}

export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1'
}

export function debug(message: string): void {
  issueCommand('debug', {}, message)
}

export function error(message: string | Error, properties: AnnotationProperties = {}): void {
  issueCommand('error', toCommandProperties(properties), annotationText(message))
}

export function warning(message: string | Error, properties: AnnotationProperties = {}): void {
  issueCommand('warning', toCommandProperties(properties), annotationText(message))
}

export function notice(message: string | Error, properties: AnnotationProperties = {}): void {
  issueCommand('notice', toCommandProperties(properties), annotationText(message))
}

export function info(message: string): void {
  process.stdout.write(message + EOL)
}
