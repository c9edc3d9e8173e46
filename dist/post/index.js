import{r as runCleanup,c as createActionsRunner}from"./run-BVY7mu3p.js";runCleanup(createActionsRunner());
