/**
 * smol-toml's parser, for the modules that load it on demand. A dynamic
 * import of the package itself would take its default export, which holds
 * the parser too, and so pull the parser into every run's bundle.
 */
export { parse as parseToml } from 'smol-toml'
