import{e as runHelper}from"./run-6Xr81kFH.js";await runHelper(process.argv.slice(2),process.env);
