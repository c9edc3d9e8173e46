/** Entry point of the main step. */
import { run } from './main.js'
import { createActionsRunner } from './runner/actions.js'

// Not awaited at the top level: the mode chunks import shared code from this
// bundle's entry, which must finish evaluating before they can load. run()
// never rejects; every failure goes to runner.fail.
void run(createActionsRunner())
