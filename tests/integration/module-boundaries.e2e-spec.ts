import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';

/**
 * The layers are enforced, not hoped for: a domain lib that imports a framework or an infrastructure
 * client fails lint, and so does a domain lib importing a feature lib.
 */
const root = resolve(__dirname, '../..');

describe('module boundaries', () => {
  let eslint: ESLint;

  beforeAll(() => {
    // The Nx rule reads the project graph; make sure it is computed for this checkout.
    execFileSync(process.execPath, [resolve(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false' },
      stdio: 'ignore',
    });
    eslint = new ESLint({ cwd: root });
  }, 60_000);

  const lint = async (file: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
    return result!.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
  };

  it.each(['@nestjs/common', '@prisma/client', 'ioredis', 'bullmq', 'minio', 'pg'])(
    'fails when a domain lib imports %s',
    async (pkg) => {
      const messages = await lint(
        'libs/screening/domain/src/probe.ts',
        `import * as x from '${pkg}';\nexport const y = x;\n`,
      );
      expect(messages).toEqual([expect.stringContaining(pkg)]);
    },
  );

  it('fails when a domain lib imports a feature lib', async () => {
    const messages = await lint(
      'libs/cases/domain/src/probe.ts',
      `import { IdentityModule } from '@ecc/identity-feature';\nexport const y = IdentityModule;\n`,
    );
    expect(messages).toEqual([
      expect.stringContaining('tagged with "type:domain" can only depend on libs tagged with'),
    ]);
  });

  it('lets no context read the statistics, which read every context', async () => {
    expect(
      await lint(
        'libs/casefile/feature/src/probe.ts',
        `import { StatisticsModule } from '@ecc/statistics-feature';\nexport const y = StatisticsModule;\n`,
      ),
    ).toEqual([expect.stringContaining('scope:statistics')]);
    expect(
      await lint(
        'libs/evaluation/data/src/probe.ts',
        `import { FIGURES } from '@ecc/statistics-data';\nexport const y = FIGURES;\n`,
      ),
    ).toEqual([expect.stringContaining('scope:statistics')]);
    expect(
      await lint(
        'libs/statistics/feature/src/probe.ts',
        `import { CasesModule } from '@ecc/cases-feature';\nimport { FIGURES } from '@ecc/statistics-data';\nexport const y = [CasesModule, FIGURES];\n`,
      ),
    ).toEqual([]);
  });

  it('lets a domain lib import zod and another domain lib, and a feature lib import NestJS', async () => {
    expect(
      await lint(
        'libs/screening/domain/src/probe.ts',
        `import { z } from 'zod';\nimport { LEGAL_PERIODS } from '@ecc/legal-domain';\nexport const y = [z, LEGAL_PERIODS];\n`,
      ),
    ).toEqual([]);
    expect(
      await lint(
        'libs/identity/feature/src/probe.ts',
        `import { Module } from '@nestjs/common';\nexport const y = Module;\n`,
      ),
    ).toEqual([]);
  });
});
