/**
 * The secrets a hooks file refers to (`valueFrom: env:NAME` or `file:PATH`), read before anything is
 * sent. Each value found is registered, so that no output of this process can show it. A missing
 * one is a problem at its line in the file, naming the variable or the file.
 */
import {readFileSync} from 'node:fs'

import {registerSecret} from '../secrets/registry.js'
import {type HookSpec, type SecretRef, secretRefs} from './file-format.js'
import type {FileProblem} from './problems.js'

export interface SecretSources {
  env?: NodeJS.ProcessEnv
  readFile?: (path: string) => string
}

/** Which references must resolve: all of them (apply), or only those whose values plan compares (custom headers). */
export type SecretNeed = 'all' | 'compared'

export interface SecretResolution {
  /** References that must resolve and did not: the command stops with these. */
  problems: FileProblem[]
  /** Auth secrets plan does not need (Okta never returns them, so nothing compares them) that are missing. */
  unresolved: FileProblem[]
}

/** Fills `value` on every reference it can read; reports the others. */
export function resolveSecrets(hooks: HookSpec[], need: SecretNeed, sources: SecretSources = {}): SecretResolution {
  const compared = new Set(
    hooks.flatMap((hook) => hook.headers.flatMap((header) => (header.valueFrom ? [header.valueFrom] : []))),
  )
  const out: SecretResolution = {problems: [], unresolved: []}
  for (const ref of secretRefs(hooks)) {
    const reason = readSecret(ref, sources)
    if (!reason) continue
    const problem = {
      ...ref.at,
      message: `${ref.ref}: ${reason}`,
      path: compared.has(ref) ? 'headers' : 'auth.valueFrom',
    }
    if (need === 'all' || compared.has(ref)) out.problems.push(problem)
    else out.unresolved.push(problem)
  }

  return out
}

/** Reads one reference into `ref.value`; why it could not, otherwise. */
function readSecret(ref: SecretRef, sources: SecretSources): string | undefined {
  let value: string | undefined
  if (ref.kind === 'env') {
    value = (sources.env ?? process.env)[ref.target]
    if (!value)
      return (
        `the environment variable ${ref.target} is not set or is empty ` +
        `(export ${ref.target}=... before running okta-hooks)`
      )
  } else {
    try {
      value = (sources.readFile ?? ((path) => readFileSync(path, 'utf8')))(ref.target).replace(/\r?\n$/, '')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      return code === 'ENOENT'
        ? `the file ${ref.target} does not exist`
        : `the file ${ref.target} cannot be read (${code ?? (error as Error).message})`
    }

    if (!value) return `the file ${ref.target} is empty`
  }

  if (/[\r\n\0]/.test(value)) return 'the secret must be one line (a header value cannot hold line breaks)'
  registerSecret(value)
  ref.value = value
  return undefined
}
