import{r as runCleanup,c as createActionsRunner}from"./run-DyLoE20T.js";runCleanup(createActionsRunner());
