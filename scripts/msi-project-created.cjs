// electron-builder's msiProjectCreated hook (electron-builder.yml): called with the path of the
// generated project.wxs before WiX compiles it. electron-builder loads hooks with require(), so
// this CommonJS shim loads the TypeScript module through tsx (a devDependency, present on the
// build machine) and exports the function under the name electron-builder looks for.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder require()s this CommonJS hook */
const path = require('node:path');
const { pathToFileURL } = require('node:url');

async function msiProjectCreated(projectFile) {
  // The ESM entry of tsx's API (its require() entry fails to load its own ESM half on Node 20).
  const { tsImport } = await import('tsx/esm/api');
  const { applyServiceToProject } = await tsImport('./msi-service.ts', pathToFileURL(__filename).href);
  await applyServiceToProject(projectFile, path.resolve(__dirname, '..'));
}

module.exports = msiProjectCreated;
module.exports.msiProjectCreated = msiProjectCreated;
module.exports.default = msiProjectCreated;
