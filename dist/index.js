import{a as run,c as createActionsRunner}from"./run-j4zl1EUh.js";run(createActionsRunner());
