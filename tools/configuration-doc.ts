import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { format } from 'prettier';
import { renderConfigurationTable, withConfigurationTable } from '@ecc/shared-config';

/** `npm run docs:config`: rewrites the table of docs/configuration.md from the configuration schema. */
async function main(): Promise<void> {
  const path = resolve(__dirname, '../docs/configuration.md');
  const page = withConfigurationTable(readFileSync(path, 'utf8'), renderConfigurationTable());
  writeFileSync(path, await format(page, { parser: 'markdown', filepath: path }));
  process.stdout.write(`wrote ${path}\n`);
}

void main();
