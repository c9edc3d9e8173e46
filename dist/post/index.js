import{r as runCleanup,c as createActionsRunner}from"./run-BQSiDYCN.js";runCleanup(createActionsRunner());
