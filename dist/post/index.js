import{r as runCleanup,c as createActionsRunner}from"./run-CNM0S8EK.js";runCleanup(createActionsRunner());
