import{g as run,h as createActionsRunner}from"./run-3dzfgEb5.js";run(createActionsRunner());
