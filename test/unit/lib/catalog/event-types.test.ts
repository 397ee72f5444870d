import {expect} from 'chai'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {
  type CatalogSource,
  compactCatalog,
  expandCatalog,
  loadCatalog,
  readCatalog,
} from '../../../../src/lib/catalog/event-types.js'
import {dataPath} from '../../../../src/lib/data-path.js'

const source = (): CatalogSource => JSON.parse(readFileSync(dataPath('event-types.json'), 'utf8'))

describe('lib/catalog/event-types (the catalog and its compact copy)', () => {
  let dir: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'okta-hooks-catalog-'))
  })

  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  it('the compact form expands to data/event-types.json exactly: every type, its keys in the same order', () => {
    const raw = source()
    const expanded = expandCatalog(JSON.parse(JSON.stringify(compactCatalog(raw))))
    expect(JSON.stringify(expanded.eventTypes)).to.equal(JSON.stringify(raw.eventTypes))
    expect(expanded.source).to.equal(raw.source)
  })

  it('keeps each category, release and tag once, and flags beta and eligibility per type', () => {
    const compact = compactCatalog({
      eventTypes: [
        {beta: true, category: 'c', eventHookEligible: false, id: 'a.b', release: 'r1', tags: ['a']},
        {
          beta: false,
          category: 'c',
          eventHookEligible: true,
          id: 'a.c',
          release: 'r2',
          tags: ['a', 'event-hook-eligible'],
        },
      ],
      source: 'test catalog',
    })
    expect(compact).to.deep.equal({
      categories: ['c'],
      releases: ['r1', 'r2'],
      source: 'test catalog',
      tags: ['a', 'event-hook-eligible'],
      types: [
        ['a.b', 0, 0, 2, 0],
        ['a.c', 0, 1, 1, 0, 1],
      ],
    })
  })

  it('reads the compact copy when given one, with the same lookups as the source', () => {
    const file = join(dir, 'event-types.json')
    writeFileSync(file, JSON.stringify(compactCatalog(source())))
    const compact = readCatalog(file)
    const full = readCatalog()
    expect(compact.types).to.deep.equal(full.types)
    expect(compact.byId.get('user.lifecycle.create')).to.deep.equal(full.byId.get('user.lifecycle.create'))
    expect(compact.byId.get('user.lifecycle.create')).to.equal(
      compact.types.find((t) => t.id === 'user.lifecycle.create'),
    )
    expect(compact.byId.has('event_hook.verified')).to.equal(true)
    expect(compact.byId.get('event_hook.verified')?.eventHookEligible).to.equal(false)
    expect(compact.byId.has('no.such.type')).to.equal(false)
    expect(compact.byId.get('no.such.type')).to.equal(undefined)
    expect(compact.source).to.equal(full.source)
    expect(loadCatalog().types).to.deep.equal(full.types)
  })

  it('falls back to data/event-types.json when the compact copy is missing or broken', () => {
    const broken = join(dir, 'broken.json')
    writeFileSync(broken, '{"types": [')
    const full = readCatalog()
    expect(readCatalog(join(dir, 'missing.json')).types).to.deep.equal(full.types)
    expect(readCatalog(broken).types).to.deep.equal(full.types)
    expect(full.types).to.have.length(source().eventTypes.length)
  })
})
