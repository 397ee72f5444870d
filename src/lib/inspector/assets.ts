/**
 * The inspector's page (hand-written HTML, CSS and JavaScript, no framework, nothing from a CDN),
 * read from disk the first time it is asked for: from src/lib/inspector/assets when running the
 * sources, from dist/inspector when running the build (scripts/build.mjs copies it there).
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {packageRoot} from '../package-root.js'

export interface Asset {
  body: string
  type: string
}

const FILES: Record<string, {file: string; type: string}> = {
  '/': {file: 'index.html', type: 'text/html; charset=utf-8'},
  '/inspector.css': {file: 'inspector.css', type: 'text/css; charset=utf-8'},
  '/inspector.js': {file: 'inspector.js', type: 'text/javascript; charset=utf-8'},
}

const cache = new Map<string, string>()

function assetsDir(): string {
  const fromSources = import.meta.url.endsWith('.ts')
  return fromSources
    ? join(packageRoot(), 'src', 'lib', 'inspector', 'assets')
    : join(packageRoot(), 'dist', 'inspector')
}

/** The asset served at `pathname`, if there is one; the page with the session's token put in. */
export function assetAt(pathname: string, token: string): Asset | undefined {
  const entry = FILES[pathname]
  if (!entry) return undefined
  let body = cache.get(entry.file)
  if (body === undefined) {
    body = readFileSync(join(assetsDir(), entry.file), 'utf8')
    cache.set(entry.file, body)
  }

  return {body: entry.file === 'index.html' ? body.replace('{{TOKEN}}', token) : body, type: entry.type}
}
