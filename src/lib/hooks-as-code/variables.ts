/**
 * `${NAME}` in the hooks file's string fields, so one file serves several orgs
 * (`url: https://${HOOKS_HOST}/okta`). Values come from `--var NAME=VALUE`, then `--var-file`, then
 * the environment; `$${` is a literal `${`. Export does the reverse: it writes `${NAME}` where a
 * `--var` value appears. Variables are for what differs between orgs, not for secrets (argv is
 * visible to other processes): secrets are `valueFrom: env:NAME`.
 */
import {usageError} from '../errors.js'
import {VARIABLE_NAME} from './file-format.js'

/** What `${NAME}` resolves to; undefined when the variable is not set (or empty). */
export type VariableLookup = (name: string) => string | undefined

export interface VariableSources {
  env?: NodeJS.ProcessEnv
  /** `--var-file` contents, already parsed. */
  fileVars?: [string, string][]
  /** `--var` values, "NAME=VALUE". */
  vars?: string[]
}

/** --var wins over --var-file, which wins over the environment. */
export function variableLookup(sources: VariableSources): VariableLookup {
  const env = sources.env ?? process.env
  const given = new Map([...(sources.fileVars ?? []), ...(sources.vars ?? []).map((value) => parseVarFlag(value))])
  return (name) => {
    const value = given.has(name) ? given.get(name) : env[name]
    return value === undefined || value === '' ? undefined : value
  }
}

/** "NAME=VALUE" → [NAME, VALUE]. */
export function parseVarFlag(value: string, flag = '--var'): [string, string] {
  const equals = value.indexOf('=')
  const name = equals > 0 ? value.slice(0, equals).trim() : ''
  if (!VARIABLE_NAME.test(name)) {
    throw usageError(
      `${flag} "${value}" is not in the form NAME=VALUE (NAME: letters, digits and _, not starting with a digit).`,
      [`For example ${flag} HOOKS_HOST=hooks.example.com`],
    )
  }

  return [name, value.slice(equals + 1)]
}

/** A --var-file: NAME=VALUE lines (an optional `export ` before, '#' comments, optional quotes). */
export function parseVarFile(text: string, file: string): [string, string][] {
  const out: [string, string][] = []
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const [name, value] = parseVarFlag(line.replace(/^export\s+/, ''), `${file}:${index + 1}:`)
    out.push([name, value.replace(/^(["'])(.*)\1$/, '$2')])
  }

  return out
}

export type Substitution = {missing: string[]} | {problem: string} | {value: string}

/** The text with every `${NAME}` replaced; the names that are not set, or what is malformed. */
export function substitute(text: string, lookup: VariableLookup): Substitution {
  let value = ''
  const missing: string[] = []
  let rest = text
  for (let start = rest.indexOf('$'); start !== -1; start = rest.indexOf('$')) {
    value += rest.slice(0, start)
    rest = rest.slice(start)
    if (rest.startsWith('$${')) {
      value += '${'
      rest = rest.slice(3)
    } else if (rest.startsWith('${')) {
      const end = rest.indexOf('}')
      const name = end === -1 ? '' : rest.slice(2, end)
      if (!VARIABLE_NAME.test(name)) {
        return {
          problem:
            `"${end === -1 ? rest : rest.slice(0, end + 1)}" is not a variable reference: ` +
            `write \${NAME} (letters, digits, _), or $\${ for a literal \${`,
        }
      }

      const found = lookup(name)
      if (found === undefined) missing.push(name)
      else value += found
      rest = rest.slice(end + 1)
    } else {
      value += '$'
      rest = rest.slice(1)
    }
  }

  if (missing.length > 0) return {missing: [...new Set(missing)]}
  return {value: value + rest}
}

/**
 * For export: the text as a template, `${` escaped and each value replaced by `${NAME}` (longest
 * values first, so a value inside another does not split it).
 */
export function templateFor(text: string, vars: [string, string][]): string {
  let parts: (string | {name: string})[] = [text]
  for (const [name, value] of [...vars].filter(([, v]) => v !== '').sort((a, b) => b[1].length - a[1].length)) {
    parts = parts.flatMap((part) =>
      typeof part === 'string'
        ? part.split(value).flatMap((piece, index) => (index === 0 ? [piece] : [{name}, piece]))
        : [part],
    )
  }

  return parts.map((part) => (typeof part === 'string' ? part.split('${').join('$${') : `\${${part.name}}`)).join('')
}
