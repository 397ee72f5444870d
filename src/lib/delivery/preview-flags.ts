/**
 * Flags shared by preview and replay (secondsFlag also by check-endpoint and the Okta connection's
 * --timeout): oclif definitions only, no logic beyond parsing.
 */
import {Flags} from '@oclif/core'

import {usageError} from '../errors.js'

/** Seconds, decimals allowed (0.5), as milliseconds. Help shows the default in seconds, as typed. */
export const secondsFlag = Flags.custom<number>({
  defaultHelp: async ({options}) => (typeof options.default === 'number' ? String(options.default / 1000) : undefined),
  async parse(input: string) {
    const seconds = Number(input)
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw usageError(`"${input}" is not a number of seconds between 0 and 600.`)
    return Math.round(seconds * 1000)
  },
})

export const targetFlags = {
  'allow-http': Flags.boolean({description: 'Allow --to with plain http to a host that is not loopback.', helpGroup: 'DELIVERY'}),
  'no-auth': Flags.boolean({description: 'Send no auth header, even if the hook has one.', helpGroup: 'AUTH HEADER'}),
  to: Flags.string({
    description: 'Deliver here instead of the hook\'s URL (plain http only for loopback hosts such as 127.0.0.1 unless --allow-http).',
    helpGroup: 'DELIVERY',
    helpValue: 'URL',
  }),
}
