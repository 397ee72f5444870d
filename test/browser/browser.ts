/**
 * Headless Chromium for the browser tests: Debian's chromium (/usr/bin/chromium, or CHROMIUM_PATH)
 * driven by playwright-core, which downloads no browser of its own. Started with a fresh profile and
 * the flags that keep it off the network (no background connections, updates or sync).
 */
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type BrowserContext, chromium} from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface Browser {
  close(): Promise<void>
  context: BrowserContext
}

export async function startBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM}: apt-get install -y chromium (as .ci/run does), or set CHROMIUM_PATH.`,
    )
  }

  const profile = mkdtempSync(join(tmpdir(), 'okta-hooks-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    args: FLAGS,
    executablePath: CHROMIUM,
    viewport: {height: 800, width: 1280},
  })
  return {
    async close() {
      await context.close()
      rmSync(profile, {force: true, recursive: true})
    },
    context,
  }
}
