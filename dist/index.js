import{g as run,h as createActionsRunner}from"./run-GzgI6rc0.js";run(createActionsRunner());
