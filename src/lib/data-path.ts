import {fileURLToPath} from 'node:url'

/** A file under the package's data/ folder (works from src/ under tsx and from dist/). */
export function dataPath(...parts: string[]): string {
  return fileURLToPath(new URL(['../../data', ...parts].join('/'), import.meta.url))
}
