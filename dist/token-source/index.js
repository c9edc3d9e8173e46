import{b as runHelper}from"./run-DLkpcMGH.js";await runHelper(process.argv.slice(2),process.env);
