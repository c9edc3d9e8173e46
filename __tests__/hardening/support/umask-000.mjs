// Preloaded into the built action by the files suite: the most permissive
// umask a runner could have, so the modes the action sets are its own doing.
import process from 'node:process'
process.umask(0o000)
