import{p as parse}from"./toml-DDTSJuzG.js";export{parse as parseToml};
