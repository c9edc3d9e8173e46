import{a as run,c as createActionsRunner}from"./run-DX-ErSqP.js";run(createActionsRunner());
