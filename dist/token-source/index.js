import{b as runHelper}from"./run-Dbe976UO.js";await runHelper(process.argv.slice(2),process.env);
