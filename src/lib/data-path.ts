import {join} from 'node:path'

import {packageRoot} from './package-root.js'

/** A file under the package's data/ folder. */
export function dataPath(...parts: string[]): string {
  return join(packageRoot(), 'data', ...parts)
}
