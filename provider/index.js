// Pulumi's run-plugin would load index.ts with its own ts-node, which type-checks each file only
// against the files it compiled in the same run: once it has cached some, a changed file no longer
// finds Node's types, and the package does not load. tsx compiles each file on its own (the types
// are checked by `npm run build`); this entry registers it before any .ts file is loaded.
require("tsx/cjs");
module.exports = require("./index.ts");
