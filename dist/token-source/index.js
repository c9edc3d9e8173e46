import{e as runHelper}from"./run-DiuK_PnF.js";await runHelper(process.argv.slice(2),process.env);
