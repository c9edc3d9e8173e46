import{b as run,e as createActionsRunner}from"./run-D6SdQ5Y4.js";run(createActionsRunner());
