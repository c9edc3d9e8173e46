import{a as run,c as createActionsRunner}from"./run-DL5PvqPv.js";run(createActionsRunner());
