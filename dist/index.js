import{g as run,h as createActionsRunner}from"./run-BMYhVNTk.js";run(createActionsRunner());
