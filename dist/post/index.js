import{r as runCleanup,c as createActionsRunner}from"./run-DhYM5JIE.js";runCleanup(createActionsRunner());
