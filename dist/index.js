import{a as run,c as createActionsRunner}from"./run-Do4paYYS.js";run(createActionsRunner());
