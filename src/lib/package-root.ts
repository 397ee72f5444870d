import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

let root: string | undefined

/**
 * The okta-hooks package folder (the one with package.json and data/). Found by walking up from
 * this module, because the build bundles modules into chunks that live at other depths than src/.
 * Never resolve package files relative to import.meta.url directly: use this.
 */
export function packageRoot(): string {
  if (root) return root
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'okta-hooks') break
    const up = dirname(dir)
    if (up === dir) throw new Error('okta-hooks cannot find its own package folder')
    dir = up
  }

  root = dir
  return dir
}
