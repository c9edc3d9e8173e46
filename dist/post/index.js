import{r as runCleanup,c as createActionsRunner}from"./run-bYALbVY1.js";runCleanup(createActionsRunner());
