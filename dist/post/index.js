import{r as runCleanup,c as createActionsRunner}from"./run-9gloqD7F.js";runCleanup(createActionsRunner());
