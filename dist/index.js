import{g as run,h as createActionsRunner}from"./run-CzKvZBuP.js";run(createActionsRunner());
