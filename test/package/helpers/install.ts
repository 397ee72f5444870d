/**
 * What a user installs: `npm pack` of this checkout (its prepack builds dist/, as `npm publish`
 * does), then `npm install --global --prefix` of that tarball into a temporary prefix (npm's cache
 * first; the registry for what is not cached). Done once per run and shared by every case.
 */
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, dirname, join} from 'node:path'

import {packInto} from '../../../scripts/pack-install.mjs'
import {type Launcher, ROOT} from '../../e2e/helpers/cli.js'

export interface InstalledPackage {
  /** The installed package folder (prefix/lib/node_modules/okta-hooks). */
  dir: string
  /** `okta-hooks`, found on PATH as a user's shell finds it: the prefix's bin, node's own folder, the system's. */
  launcher: Launcher
  prefix: string
  remove(): void
  seconds: {install: number; pack: number}
  tarball: string
}

export function packAndInstall(): InstalledPackage {
  const work = mkdtempSync(join(tmpdir(), 'okta-hooks-package-'))
  const {dir, prefix, seconds, tarball} = packInto({root: ROOT, work})
  if (!existsSync(join(prefix, 'bin', 'okta-hooks')))
    throw new Error(`npm installed no okta-hooks binary into ${prefix}/bin`)
  const path = [join(prefix, 'bin'), dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter)
  return {
    dir,
    launcher: {args: [], command: 'okta-hooks', env: {PATH: path}},
    prefix,
    remove: () => rmSync(work, {force: true, recursive: true}),
    seconds,
    tarball,
  }
}
