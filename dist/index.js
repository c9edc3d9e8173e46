import{g as run,h as createActionsRunner}from"./run-Dhk9BrHm.js";run(createActionsRunner());
