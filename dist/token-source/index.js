import{r as runHelper}from"./run-DLgDzwEA.js";await runHelper(process.argv.slice(2),process.env);
