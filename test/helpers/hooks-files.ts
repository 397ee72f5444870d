/**
 * For the hooks-as-code command tests: a temporary folder for hooks files, an in-process sandbox
 * org with a receiver that answers Okta's verification, and the environment that points at it.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type Receiver, type ReceiverHandler, startReceiver, startSandbox, stopAll, type TestSandbox} from './sandbox.js'

export interface HooksFixture {
  dir: string
  env: Record<string, string>
  /** The org's hooks, straight from the sandbox API. */
  orgHooks(): Promise<any[]>
  receiver: Receiver
  t: TestSandbox
  /** Writes `text` to `name` in the folder and returns its path. */
  write(name: string, text: string): string
  stop(): Promise<void>
}

export async function hooksFixture(handler?: ReceiverHandler): Promise<HooksFixture> {
  const [t, receiver] = await Promise.all([startSandbox(), startReceiver(handler)])
  const dir = mkdtempSync(join(tmpdir(), 'okta-hooks-hac-'))
  return {
    dir,
    env: {OKTA_CLIENT_ORGURL: t.url, OKTA_CLIENT_TOKEN: t.sandbox.token},
    async orgHooks() {
      return (await t.api('GET', '/api/v1/eventHooks')).body
    },
    receiver,
    async stop() {
      await stopAll()
      rmSync(dir, {force: true, recursive: true})
    },
    t,
    write(name, text) {
      const path = join(dir, name)
      writeFileSync(path, text)
      return path
    },
  }
}
