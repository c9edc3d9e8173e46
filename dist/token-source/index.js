import{r as runHelper}from"./run-abtGJBn0.js";await runHelper(process.argv.slice(2),process.env);
