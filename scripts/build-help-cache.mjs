// Renders oclif's help for the root, every topic and every command at build time, so that
// bin/run.js answers `--help` without loading oclif or any command module (about 3x faster), and
// answers it exactly as oclif would: at every terminal width, with or without colour.
//
// oclif wraps help to the terminal's width (80 when stdout is not a terminal; at least 40) and
// makes headings bold and flag values underlined when stdout and stderr take colour. So each page
// is rendered, with colour, at every width from 40 up to the width past which it no longer changes;
// the widths that give the same text share one entry, and the lines are stored once per page
// (dist/help/<page>.json). bin/run.js picks the entry for its width and strips the colour when
// oclif would not have any (src/help-colour.mjs decides it with oclif's own two libraries).
// dist/help-cache.json names the version and the pages.
import {mkdirSync, writeFileSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {join} from 'node:path'
import {isMainThread, parentPort, Worker, workerData} from 'node:worker_threads'

export const MIN_WIDTH = 40
const OUT = 'dist/help'
const strip = (text) => text.replaceAll(/\u001B\[[\d;]*m/g, '')

/** The file of a page: `deliveries:list` -> deliveries.list.json, the root -> index.json. */
export const pageFile = (id) => `${id ? id.replaceAll(':', '.') : 'index'}.json`

async function renderer() {
  process.env.FORCE_COLOR = '1' // colour on for both of oclif's colour libraries (bold and underline are the same at any level)
  delete process.env.OCLIF_COLUMNS
  const {Config, Help} = await import('@oclif/core')
  const config = await Config.load(process.cwd())
  // oclif's help writes the topic separator into the ids of the commands it lists (formatCommands):
  // harmless in a CLI, which renders help once, but each rendering here must start as a CLI does.
  const ids = new Map(config.commands.map((command) => [command, command.id]))
  const render = async (argv, maxWidth) => {
    for (const [command, id] of ids) command.id = id
    const help = new Help(config, {maxWidth})
    const chunks = []
    help.log = (...args) => chunks.push(args.join(' '))
    await help.showHelp(argv)
    return chunks.join('\n') + '\n'
  }

  return {config, render}
}

/** Every distinct rendering of a page, from MIN_WIDTH up: [[fromWidth, text], ...]; the last holds for any wider terminal. */
async function renderPage(render, id) {
  const argv = id ? id.split(':') : []
  const unbounded = await render(argv, 100_000)
  const widest = Math.max(
    ...strip(unbounded)
      .split('\n')
      .map((line) => line.length),
  )
  const ranges = []
  for (let width = MIN_WIDTH; ; width++) {
    const text = await render(argv, width)
    if (ranges.at(-1)?.[1] !== text) ranges.push([width, text])
    if (text === unbounded && width > widest + 2) break
    if (width > widest + 200) throw new Error(`help for ${id || 'the root'} still changes at ${width} columns`)
  }

  return ranges
}

/** One page's file: its distinct lines once, and each range as the indexes of its lines. */
function pageData(ranges, version) {
  const lines = []
  const index = new Map()
  const ids = (text) =>
    text.split('\n').map((line) => {
      if (!index.has(line)) {
        index.set(line, lines.length)
        lines.push(line)
      }

      return index.get(line)
    })
  return {lines, ranges: ranges.map(([from, text]) => [from, ids(text)]), version}
}

if (isMainThread) {
  const {config} = await renderer()
  const pages = [
    '',
    ...config.topics.filter((topic) => !topic.hidden && !config.findCommand(topic.name)).map((topic) => topic.name),
    ...config.commands.filter((command) => !command.hidden).map((command) => command.id),
  ]
  mkdirSync(OUT, {recursive: true})
  const workers = Math.max(1, Math.min(availableParallelism(), 4))
  const share = Array.from({length: workers}, (_, i) => pages.filter((_, j) => j % workers === i))
  let entries = 0
  await Promise.all(
    share.map(
      (ids) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), {workerData: {ids, version: config.version}})
          worker.on('message', (count) => (entries += count))
          worker.on('error', reject)
          worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`help renderer exited ${code}`))))
        }),
    ),
  )
  writeFileSync(
    'dist/help-cache.json',
    JSON.stringify({
      minWidth: MIN_WIDTH,
      pages: Object.fromEntries(pages.map((id) => [id, pageFile(id)])),
      version: config.version,
    }),
  )
  console.error(`help cache: ${pages.length} pages, ${entries} renderings (every width from ${MIN_WIDTH} columns)`)
} else {
  const {render} = await renderer()
  for (const id of workerData.ids) {
    const ranges = await renderPage(render, id)
    writeFileSync(join(OUT, pageFile(id)), JSON.stringify(pageData(ranges, workerData.version)))
    parentPort.postMessage(ranges.length)
  }
}
