// @ts-check
/**
 * The build target of every project, declared once: a lib builds its `tsconfig.lib.json`, an app its
 * `tsconfig.app.json`, with TypeScript project references (`tsc -b`). Caching, inputs and the order of
 * dependencies come from nx.json's targetDefaults for `build`.
 */
const { dirname, basename } = require('node:path');

const COMMAND = {
  'tsconfig.lib.json': 'tsc -b {projectRoot}/tsconfig.lib.json',
  'tsconfig.app.json': 'tsc -b {projectRoot}/tsconfig.app.json',
};

/** @type {import('@nx/devkit').CreateNodesV2} */
exports.createNodesV2 = [
  '{libs,apps}/**/tsconfig.{lib,app}.json',
  (configFiles) =>
    configFiles.map((file) => [
      file,
      { projects: { [dirname(file)]: { targets: { build: { command: COMMAND[basename(file)] } } } } },
    ]),
];
