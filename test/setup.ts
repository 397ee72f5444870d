/**
 * Global test setup: no test reaches the network (only real local servers on 127.0.0.1), no
 * developer's okta.yaml or OKTA_CLIENT_* variables leak in, retries are fast, and no test waits for
 * real: each one runs with a fresh virtual clock (test/helpers/clock.ts).
 */
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import nock from 'nock'

import {realClock, useClock} from '../src/lib/clock.js'
import {VirtualClock} from './helpers/clock.js'
import {capturedRequests} from './helpers/contract.js'

for (const name of Object.keys(process.env)) {
  if (name.startsWith('OKTA_CLIENT_') || name.startsWith('OKTA_HOOKS_')) delete process.env[name]
}

process.env.HOME = mkdtempSync(join(tmpdir(), 'okta-hooks-test-home-'))
process.env.XDG_DATA_HOME = join(process.env.HOME, '.local', 'share')
process.env.OKTA_HOOKS_RETRY_BASE_MS = '10'
delete process.env.CI

nock.disableNetConnect()
nock.enableNetConnect((host) => host.startsWith('127.0.0.1'))

export const mochaHooks = {
  /** Every request body sentBody() recorded in the whole run keeps Okta's EventHook contract (whatever ran). */
  afterAll(): void {
    const broken = capturedRequests().filter((request) => request.errors.length > 0)
    if (broken.length > 0)
      throw new Error(`request bodies that break the EventHook contract:\n${JSON.stringify(broken, null, 2)}`)
  },
  afterEach(): void {
    useClock(realClock)
    nock.cleanAll()
    process.exitCode = undefined
  },
  beforeEach(): void {
    useClock(new VirtualClock())
  },
}
