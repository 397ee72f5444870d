/**
 * One name, one meaning: no name is exported by two modules of src/ (a re-export of the same
 * declaration is the same meaning and is fine). Read syntactically from the sources, so it is fast
 * and needs no build.
 */
import {expect} from 'chai'
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import ts from 'typescript'

const SRC = fileURLToPath(new URL('../../../src', import.meta.url))

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)

/** The names a module declares and exports itself (re-exports from another module left out). */
function declaredExports(text: string, file = 'x.ts'): string[] {
  const names: string[] = []
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      if (statement.moduleSpecifier || !statement.exportClause || !ts.isNamedExports(statement.exportClause)) continue
      for (const element of statement.exportClause.elements) names.push(element.name.text)
    } else if (isExported(statement)) {
      const isDefault = (ts.getModifiers(statement as ts.HasModifiers) ?? []).some(
        (m) => m.kind === ts.SyntaxKind.DefaultKeyword,
      )
      if (isDefault) continue
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations)
          if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text)
      } else {
        const name = (statement as ts.DeclarationStatement).name
        if (name && ts.isIdentifier(name)) names.push(name.text)
      }
    }
  }

  return names
}

describe('contract: one name, one meaning across src/', () => {
  it('reads what a module declares and exports, leaving re-exports and default exports out', () => {
    const text = [
      'export function a() {}',
      'export const b = 1, c = 2',
      'export interface D {}',
      'export type E = string',
      'export class F {}',
      'export enum G {X}',
      'const h = 1',
      'export {h as H}',
      "export {I} from './i.js'",
      "export type {J} from './j.js'",
      'export default class K {}',
      'function l() {}',
    ].join('\n')
    expect(declaredExports(text)).to.deep.equal(['a', 'b', 'c', 'D', 'E', 'F', 'G', 'H'])
  })

  it('no name is exported by two modules', () => {
    const byName = new Map<string, string[]>()
    for (const file of sourceFiles(SRC)) {
      for (const name of declaredExports(readFileSync(file, 'utf8'), file)) {
        byName.set(name, [...(byName.get(name) ?? []), relative(SRC, file)])
      }
    }

    const twice = [...byName]
      .filter(([, files]) => files.length > 1)
      .map(([name, files]) => `${name}: ${files.join(', ')}`)
    expect(twice, 'rename one of them, or import the one meaning from where it is declared').to.deep.equal([])
  })
})
