import{a as run,c as createActionsRunner}from"./run-CB3B0aEZ.js";run(createActionsRunner());
