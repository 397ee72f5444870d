/**
 * "Did you mean --status?" for a mistyped flag, and "Did you mean ACTIVE?" for a value that is not
 * one of a flag's options: oclif's parse errors with the closest of the command's own flags (or
 * options) added, still usage errors (exit 2).
 */
import {CliError} from '../lib/errors.js'
import {ExitCode} from '../lib/exit-codes.js'
import {closestMatch} from '../lib/suggest.js'

interface FlagDefinition {
  allowNo?: boolean
  aliases?: string[]
  description?: string
  options?: readonly string[]
}

/** Every long form a command accepts: --name, --no-name for allowNo flags, aliases, --json, --help. */
export function longFlags(definitions: Record<string, FlagDefinition>, json: boolean): string[] {
  const names = Object.entries(definitions).flatMap(([name, flag]) => [
    name,
    ...(flag.aliases ?? []),
    ...(flag.allowNo ? [`no-${name}`] : []),
  ])
  return [...names, ...(json ? ['json'] : []), 'help'].map((name) => `--${name}`)
}

/** The parse error with a suggestion, as a CliError; any other error as it is. */
export function withFlagSuggestion(
  error: unknown,
  definitions: Record<string, FlagDefinition>,
  json: boolean,
): unknown {
  const err = error as {flags?: unknown; message?: string; oclif?: {exit?: number}}
  if (err?.oclif?.exit === undefined || typeof err.message !== 'string') return error
  const message = err.message.replace(/\n\s*See more help with --help$/, '')
  if (Array.isArray(err.flags)) return unknownFlags(message, err.flags as string[], longFlags(definitions, json))
  const missing = [...message.matchAll(/^\s*Missing required flag ([\w-]+)$/gm)].map((match) => match[1])
  if (missing.length > 0) return missingFlags(missing, definitions)
  const invalid = /^Expected --([\w-]+)=(.*) to be one of: /.exec(message)
  const options = invalid ? definitions[invalid[1]]?.options : undefined
  const meant = invalid && options ? closestMatch(invalid[2], options) : undefined
  return meant ? usage(`${message}. Did you mean ${meant}?`, {didYouMean: meant}) : error
}

function unknownFlags(message: string, typed: string[], known: string[]): unknown {
  const guesses = typed
    .filter((flag) => flag.startsWith('--'))
    .map((flag) => ({flag, meant: closestMatch(flag.split('=')[0], known)}))
    .filter((guess): guess is {flag: string; meant: string} => guess.meant !== undefined)
  if (guesses.length === 0) return usage(message)
  const hint =
    typed.length === 1
      ? ` Did you mean ${guesses[0].meant}?`
      : ` ${guesses.map((g) => `${g.flag}: did you mean ${g.meant}?`).join(' ')}`
  return usage(`${message}.${hint}`, {
    didYouMean: typed.length === 1 ? guesses[0].meant : Object.fromEntries(guesses.map((g) => [g.flag, g.meant])),
  })
}

/** oclif's "The following error occurred: Missing required flag until" as "--until is required: End of the window…". */
function missingFlags(names: string[], definitions: Record<string, FlagDefinition>): CliError {
  const lines = names.map((name) => {
    const description = definitions[name]?.description
    return `--${name} is required${description ? `: ${description}` : '.'}`
  })
  return usage(lines.join('\n'), {missingFlags: names.map((name) => `--${name}`)})
}

function usage(message: string, details?: Record<string, unknown>): CliError {
  return new CliError(message, {
    code: 'USAGE',
    details,
    exitCode: ExitCode.Usage,
    suggestions: ['See --help for the flags and examples'],
  })
}
