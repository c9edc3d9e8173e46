import{b as run,e as createActionsRunner}from"./run-CXWQ3BQy.js";run(createActionsRunner());
