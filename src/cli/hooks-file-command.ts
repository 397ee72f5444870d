/**
 * Base of `plan` and `apply`: the hooks-file flags, and the one way both read the file, its
 * variables and its secrets, list the org's hooks and plan. Everything that can fail without Okta
 * fails before the first call to Okta.
 */
import {readFileSync} from 'node:fs'

import {Command, Flags} from '@oclif/core'

import {usageError} from '../lib/errors.js'
import {EventHooksApi} from '../lib/hooks/event-hooks-api.js'
import type {EventHook} from '../lib/hooks/types.js'
import {readStdinOnce} from '../lib/io/stdin.js'
import type {HooksFile} from '../lib/hooks-as-code/file-format.js'
import {formatProblem, invalidFileError} from '../lib/hooks-as-code/problems.js'
import {type Plan, planHooks} from '../lib/hooks-as-code/plan.js'
import {resolveSecrets, type SecretNeed} from '../lib/hooks-as-code/secrets.js'
import {baseDirOf, formatOf, readHooksFile} from '../lib/hooks-as-code/validate.js'
import {parseVarFile, variableLookup} from '../lib/hooks-as-code/variables.js'
import {OktaCommand} from './okta-command.js'

const FILE = 'HOOKS FILE'

export const hooksFileFlags = {
  'allow-unknown-events': Flags.boolean({
    description: 'Accept event types that are not in the catalog shipped with okta-hooks (types newer than it).',
    helpGroup: FILE,
  }),
  file: Flags.string({
    char: 'f',
    description:
      'The hooks file: YAML, or JSON when it ends in .json; - reads YAML from stdin. Format: `okta-hooks schema`.',
    helpGroup: FILE,
    required: true,
  }),
  prune: Flags.boolean({description: "Also delete the org's hooks that the file does not name (deactivated first)."}),
  'resend-secrets': Flags.boolean({
    description:
      'Update every hook that has an auth header, to send its secret again ' +
      '(after rotating it), even if nothing else changed.',
  }),
  var: Flags.string({
    description:
      'Value of ${NAME} in the file, NAME=VALUE; repeatable. Wins over ' +
      '--var-file and the environment. Not for secrets (use valueFrom).',
    helpGroup: FILE,
    helpValue: 'NAME=VALUE',
    multiple: true,
  }),
  'var-file': Flags.string({
    description: 'A file of NAME=VALUE lines for ${NAME} (# comments allowed).',
    helpGroup: FILE,
  }),
}

export interface Prepared {
  file: HooksFile
  org: EventHook[]
  plan: Plan
}

export abstract class HooksFileCommand<T extends typeof Command> extends OktaCommand<T> {
  /**
   * Reads and checks the file and the secrets it needs (`need`), then lists the org's hooks and
   * plans. Missing secrets that are not needed are named on stderr.
   */
  protected async prepare(need: SecretNeed): Promise<Prepared & {api: EventHooksApi}> {
    const flags = this.flags as Record<string, any>
    const file = await this.readFile()
    const secrets = resolveSecrets(file.hooks, need)
    if (secrets.problems.length > 0) {
      const count = secrets.problems.length
      throw invalidFileError(
        file.file,
        secrets.problems,
        `${count} secret${count === 1 ? '' : 's'} of ${file.file} cannot be read; nothing was sent to Okta.`,
        [
          'Set each variable named (or write each file named), then run ' +
            'again; secrets never go in the hooks file itself',
        ],
      )
    }

    for (const warning of file.warnings) this.warnUser(warning)
    for (const problem of secrets.unresolved)
      this.warnUser(`apply will need this secret, which cannot be read now: ${formatProblem(problem)}`)
    const api = new EventHooksApi(await this.okta())
    const org = await api.list()
    const plan = planHooks(file.hooks, org, {
      file: file.file,
      org: (await this.okta()).orgUrl,
      prune: flags.prune,
      resendSecrets: flags['resend-secrets'],
    })
    for (const warning of plan.warnings) this.warnUser(warning)
    return {api, file, org, plan}
  }

  private async readFile(): Promise<HooksFile> {
    const flags = this.flags as Record<string, any>
    const path = flags.file as string
    const varFile = flags['var-file'] as string | undefined
    const lookup = variableLookup({
      fileVars: varFile ? parseVarFile(readText(varFile, '--var-file'), varFile) : [],
      vars: flags.var,
    })
    const text = path === '-' ? await readStdinOnce('--file -') : readText(path, '--file')
    return readHooksFile(text, {
      allowUnknownEvents: flags['allow-unknown-events'],
      baseDir: baseDirOf(path),
      file: path === '-' ? '(stdin)' : path,
      format: formatOf(path),
      lookup,
    })
  }
}

function readText(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code})`
    throw usageError(`${flag} ${path}: ${why}.`, [
      flag === '--file'
        ? 'Write one with `okta-hooks export --file hooks.yaml`, or see the format with `okta-hooks schema`'
        : 'Give the path of an existing file',
    ])
  }
}
