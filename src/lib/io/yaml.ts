/**
 * The `yaml` library's parser, for code that imports it with import() (okta.yaml). Never
 * `import('yaml')` itself: esbuild turns a dynamic import of that CommonJS package into a namespace
 * with only `default`, which once broke every okta.yaml in the built CLI ("parse is not a
 * function"), and the build refuses it (it bundles only the names imported statically).
 */
export {LineCounter, parseDocument} from 'yaml'
