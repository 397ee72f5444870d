/**
 * The flags and arguments of every command are the interface scripts and docs depend on. This
 * test compares them with test/unit/snapshot/commands.json; a change there is a visible decision.
 * After an intended change: UPDATE_SNAPSHOT=1 npx mocha test/unit/snapshot/command-interface.test.ts
 */
import {expect} from 'chai'
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const commandsDir = fileURLToPath(new URL('../../../src/commands', import.meta.url))
const snapshotFile = fileURLToPath(new URL('commands.json', import.meta.url))

function commandFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? commandFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

function describeFlag(flag: any): Record<string, unknown> {
  return {
    type: flag.type,
    ...(flag.char ? {char: flag.char} : {}),
    ...(flag.multiple ? {multiple: true} : {}),
    ...(flag.required ? {required: true} : {}),
    ...(flag.options ? {options: flag.options} : {}),
    ...(flag.exclusive?.length ? {exclusive: [...flag.exclusive].sort()} : {}),
    ...(flag.default !== undefined && typeof flag.default !== 'function' ? {default: flag.default} : {}),
  }
}

async function currentInterface(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for (const file of commandFiles(commandsDir).sort()) {
    const id = relative(commandsDir, file).replace(/\.ts$/, '').split('/').join(' ')
    // import(), as every test loads the sources (ESM): a require() would load a second, CommonJS
    // copy of the module beside the one the other tests import, which garbles c8's coverage of it.
    const {default: Cmd} = await import(pathToFileURL(file).href)
    const flags = {...Cmd.baseFlags, ...Cmd.flags}
    out[id] = {
      args: Object.fromEntries(
        Object.entries(Cmd.args ?? {}).map(([name, arg]: [string, any]) => [name, {required: Boolean(arg.required)}]),
      ),
      flags: Object.fromEntries(
        Object.keys(flags)
          .sort()
          .map((name) => [name, describeFlag(flags[name])]),
      ),
      json: Boolean(Cmd.enableJsonFlag),
      strict: Cmd.strict !== false,
    }
  }

  return out
}

describe('command interface snapshot', () => {
  it("every command's flags and arguments match test/unit/snapshot/commands.json", async () => {
    const current = await currentInterface()
    if (process.env.UPDATE_SNAPSHOT) writeFileSync(snapshotFile, JSON.stringify(current, null, 2) + '\n')
    const saved = JSON.parse(readFileSync(snapshotFile, 'utf8'))
    expect(current).to.deep.equal(saved)
  })

  it('every command supports --json (but help, which prints help text)', async () => {
    const current = (await currentInterface()) as Record<string, {json: boolean}>
    const without = Object.entries(current)
      .filter(([, c]) => !c.json)
      .map(([id]) => id)
    expect(without).to.deep.equal(['help'])
  })
})
