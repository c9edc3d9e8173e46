import{a as run,c as createActionsRunner}from"./run-DSWPs_ua.js";run(createActionsRunner());
