import {existsSync, writeFileSync} from 'node:fs'

import {Args, Flags} from '@oclif/core'

import {OktaCommand} from '../cli/okta-command.js'
import {usageError} from '../lib/errors.js'
import {EventHooksApi} from '../lib/hooks/event-hooks-api.js'
import {resolveHooks} from '../lib/hooks/lifecycle.js'
import {type ExportedSecret, exportHooks, serializeHooks} from '../lib/hooks-as-code/exporter.js'
import type {HooksDocument} from '../lib/hooks-as-code/file-format.js'
import {formatOf} from '../lib/hooks-as-code/validate.js'
import {parseVarFlag} from '../lib/hooks-as-code/variables.js'

export interface ExportResult {
  document: HooksDocument
  /** Where the file was written; absent when it went to stdout. */
  file?: string
  /** The environment variables the file refers to for secrets Okta never returns. */
  secrets: ExportedSecret[]
}

export default class Export extends OktaCommand<typeof Export> {
  static override args = {
    hook: Args.string({
      description: 'Event hook id (who...) or exact name; several may be given. Without any: every hook of the org.',
    }),
  }

  static override description = [
    `Write the org's event hooks (or the ones named) as a hooks file for \`plan\` and \`apply\`.`,
    'YAML, or JSON when --file ends in .json; to stdout without --file. Okta never returns auth secrets, so the ' +
      'file refers to them instead (valueFrom: env:OKTA_HOOK_<NAME>_SECRET), and to custom headers whose names look ' +
      'secret; the variables to set are listed on stderr. With --var NAME=VALUE, every occurrence of VALUE in URLs, ' +
      'descriptions, filters and header values is written as ${NAME}, so the file serves other orgs.',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %> --file hooks.yaml',
    '<%= config.bin %> <%= command.id %> "User sync" who1a2b3c4d5e6f7g8h9 --file hooks.json',
    '<%= config.bin %> <%= command.id %> --var HOOKS_HOST=hooks.preview.example.com --file hooks.yaml --force',
  ]

  static override flags = {
    file: Flags.string({
      char: 'f',
      description: 'Write the file here (YAML, or JSON when it ends in .json) instead of stdout.',
    }),
    force: Flags.boolean({description: 'Overwrite --file if it exists.'}),
    var: Flags.string({
      description:
        'Write ${NAME} wherever VALUE appears (URLs, descriptions, filters, header values), NAME=VALUE; repeatable.',
      helpValue: 'NAME=VALUE',
      multiple: true,
    }),
  }

  static override strict = false

  async run(): Promise<ExportResult> {
    const {file, force} = this.flags
    const vars = (this.flags.var ?? []).map((value) => parseVarFlag(value))
    if (file && existsSync(file) && !force) {
      throw usageError(`--file ${file} exists; export does not overwrite it without --force.`, [
        'Pass --force, or give another path',
      ])
    }

    const api = new EventHooksApi(await this.okta())
    const hooks = this.positionals.length > 0 ? await resolveHooks(api, this.positionals) : await api.list()
    const {document, secrets} = exportHooks(hooks, vars)
    const org = (await this.okta()).orgUrl
    const text = serializeHooks(document, formatOf(file ?? '-'), [
      `Event hooks of ${org}, written by \`okta-hooks export\`. Check changes with \`okta-hooks plan --file FILE\`.`,
      'Secrets are references, never values: set the variables named by valueFrom before plan or apply.',
    ])
    if (file) {
      writeFileSync(file, text)
      this.notice(`Wrote ${hooks.length} hook${hooks.length === 1 ? '' : 's'} to ${file}.`)
    } else this.log(text.replace(/\n$/, ''))

    if (secrets.length > 0) {
      const width = Math.max(...secrets.map((s) => s.env.length))
      const these = secrets.length === 1 ? 'this secret' : `these ${secrets.length} secrets`
      this.notice(
        `The file refers to ${these} (Okta never returns auth secrets); set ` +
          `${secrets.length === 1 ? 'it' : 'them'} before \`plan\` or \`apply\`:`,
      )
      for (const s of secrets)
        this.notice(
          `  ${s.env.padEnd(width)}  ${s.kind === 'auth' ? 'auth header' : 'header'} ${s.header} of "${s.hook}"`,
        )
    }

    return {document, ...(file ? {file} : {}), secrets}
  }
}
