/** What is wrong in a hooks file, where (file:line:column), and the usage error (exit 2) that lists it all. */
import {CliError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'

export interface FileProblem {
  column: number
  file: string
  line: number
  message: string
  /** Where in the document: "hooks[0].url", "" for the document itself. */
  path: string
}

const SCHEMA_HINT =
  '`okta-hooks schema` prints the file format as a JSON Schema (editors use it to complete and check the file)'

/** "hooks.yaml:4:10: hooks[0].url: must use https://..." */
export function formatProblem(problem: FileProblem): string {
  return (
    `${problem.file}:${problem.line}:${problem.column}: ` +
    `${problem.path ? `${problem.path}: ` : ''}${problem.message}`
  )
}

/** Every problem at once, so one run shows all there is to fix. Nothing has been sent to Okta. */
export function invalidFileError(
  file: string,
  problems: FileProblem[],
  headline?: string,
  suggestions = [SCHEMA_HINT],
): CliError {
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`
  return new CliError(headline ?? `${file} has ${count}; nothing was sent to Okta.`, {
    causes: problems.map((problem) => formatProblem(problem)),
    code: 'INVALID_HOOKS_FILE',
    details: {problems},
    exitCode: ExitCode.Usage,
    suggestions,
  })
}
