import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { format } from 'prettier';
import { z } from 'zod';
import { configurationRows, renderConfigurationTable, withConfigurationTable } from './configuration-doc';
import { envSchema } from './app-config.schema';

const PAGE = resolve(__dirname, '../../../../docs/configuration.md');

describe('the configuration page', () => {
  it('describes every variable of the schema', () => {
    const rows = configurationRows();
    expect(rows.map((r) => r.name)).toEqual(Object.keys(envSchema.shape));
    expect(rows.filter((r) => r.meaning.trim().length < 10)).toEqual([]);
  });

  it('shows defaults as parsed, and none for optional variables', () => {
    const byName = Object.fromEntries(configurationRows().map((r) => [r.name, r.defaultValue]));
    expect(byName['PORT']).toBe('3000');
    expect(byName['MIGRATE_ON_START']).toBe('true');
    expect(byName['PUSH_ENDPOINTS']).toBe('[]');
    expect(byName['S3_ENDPOINT']).toBeNull();
  });

  it('refuses a variable without a description', () => {
    expect(() => configurationRows(z.object({ X_UNDESCRIBED: z.string().default('x') }))).toThrow(
      /X_UNDESCRIBED has no description/,
    );
  });

  it('is what `npm run docs:config` generates from the schema (run it after changing the schema)', async () => {
    const page = readFileSync(PAGE, 'utf8');
    const generated = await format(withConfigurationTable(page, renderConfigurationTable()), {
      parser: 'markdown',
      filepath: PAGE,
    });
    expect(page).toBe(generated);
  });
});
