import{b as run,e as createActionsRunner}from"./run-Dz3f3WhV.js";run(createActionsRunner());
