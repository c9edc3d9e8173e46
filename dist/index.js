import{a as run,c as createActionsRunner}from"./run-DUIZ4p-h.js";run(createActionsRunner());
