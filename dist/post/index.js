import{r as runCleanup,c as createActionsRunner}from"./run-B8Hro3RZ.js";runCleanup(createActionsRunner());
