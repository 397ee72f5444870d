/**
 * A JSON document edited by a person in $VISUAL or $EDITOR (vi when neither is set), through a
 * private temp file that is removed afterwards. No oclif here; the caller decides whether a person
 * is at a terminal.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {usageError} from '../errors.js'

/** Opens the editor on `value` as pretty JSON and returns what was saved, parsed. */
export function editJson(value: unknown, options: {env?: NodeJS.ProcessEnv; what?: string} = {}): unknown {
  const env = options.env ?? process.env
  const what = options.what ?? 'document'
  const dir = mkdtempSync(join(tmpdir(), 'okta-hooks-edit-'))
  const file = join(dir, `${what.replaceAll(/\W+/g, '-')}.json`)
  try {
    writeFileSync(file, JSON.stringify(value, null, 2) + '\n', {mode: 0o600})
    const editor = env.VISUAL || env.EDITOR || 'vi'
    const {status} = spawnSync(`${editor} "${file}"`, {env, shell: true, stdio: 'inherit'})
    if (status !== 0) throw usageError(`The editor (${editor}) exited with ${status}; nothing was sent.`)
    try {
      return JSON.parse(readFileSync(file, 'utf8'))
    } catch {
      throw usageError(`The edited ${what} is not valid JSON; nothing was sent.`)
    }
  } finally {
    rmSync(dir, {force: true, recursive: true})
  }
}
