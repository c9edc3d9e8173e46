/** Entry point of the main step. */
import { run } from './main.js'
import { createActionsRunner } from './runner.js'

void run(createActionsRunner())
