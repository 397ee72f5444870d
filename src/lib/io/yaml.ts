/**
 * The one YAML library of okta-hooks (`yaml`), for code that loads it lazily with import().
 * Import this module dynamically, never `import('yaml')` itself: esbuild turns a dynamic import of
 * that CommonJS package into a namespace with only `default`, which once broke every okta.yaml in
 * the built CLI ("parse is not a function"). A static import here keeps the named exports.
 */
export {LineCounter, parseDocument} from 'yaml'
