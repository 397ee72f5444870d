/**
 * oclif init hook: `okta-hooks --version --json` answers one JSON document (oclif's own --version
 * prints its text line whatever follows), the same from bin/run.js and bin/dev.js. Its shape is schemas/version.json.
 * oclif swallows a hook's exit(0) and would go on to print that line too, so the hook ends the process itself once
 * stdout is written.
 */
import type {Hook} from '@oclif/core'

const hook: Hook<'init'> = async function ({argv, id}) {
  const words = [id, ...argv]
  if (words.length !== 2 || !words.includes('--version') || !words.includes('--json')) return
  const {arch, name, platform, version} = this.config
  const line = `${JSON.stringify({arch, name, node: process.version, platform, version}, null, 2)}\n`
  await new Promise((resolve) => {
    process.stdout.write(line, resolve)
  })
  process.exit(0)
}

export default hook
