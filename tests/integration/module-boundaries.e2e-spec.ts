import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';

/**
 * The layers are enforced, not hoped for: a domain lib that imports a framework or an infrastructure
 * client fails lint, and so does a domain lib importing a feature lib. The contexts point down only: an
 * import of a context on a higher row of the order (eslint.config.mjs, docs/layering.md), or of another
 * context on the same row, fails lint too.
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
    ).toEqual([expect.stringContaining('tagged with "scope:casefile" can only depend on libs tagged with')]);
    expect(
      await lint(
        'libs/evaluation/data/src/probe.ts',
        `import { FIGURES } from '@ecc/statistics-data';\nexport const y = FIGURES;\n`,
      ),
    ).toEqual([
      expect.stringContaining('tagged with "scope:evaluation" can only depend on libs tagged with'),
    ]);
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

  describe('contexts point down only', () => {
    const boundaryErrors = (messages: string[]) => messages.filter((m) => m.includes('can only depend on'));

    it.each([
      [
        'the legal context importing the case workflow',
        'libs/legal/feature',
        '@ecc/cases-feature',
        'CasesModule',
      ],
      ['the platform importing the audit writer', 'libs/platform/nest', '@ecc/audit-data', 'recordAudit'],
      ['the cases lifting fences themselves', 'libs/cases/feature', '@ecc/fences-data', 'liftFencesForLead'],
      ['the audit trail reaching into the cases', 'libs/audit/feature', '@ecc/cases-data', 'CasesRepository'],
      ['the audit writer raising alerts', 'libs/audit/data', '@ecc/alerts-data', 'StaffAlertsRepository'],
      ['a lead lifecycle reading notices', 'libs/leads/domain', '@ecc/notices-domain', 'renderLeadSms'],
      [
        'notices reaching a sibling (screening)',
        'libs/notices/data',
        '@ecc/screening-data',
        'LeadsRepository',
      ],
      ['the registry reading screening', 'libs/registry/domain', '@ecc/screening-domain', 'normalisePlate'],
      [
        "the legal context taking a sibling's render pool",
        'libs/legal/feature',
        '@ecc/documents-feature',
        'DocumentsModule',
      ],
    ])('fails on %s', async (_what, lib, pkg, name) => {
      const messages = await lint(
        `${lib}/src/probe.ts`,
        `import { ${name} } from '${pkg}';\nexport const y = ${name};\n`,
      );
      expect(boundaryErrors(messages)).toEqual([expect.stringMatching(/^A project tagged with "scope:/)]);
    });

    it.each([
      [
        'the fence registering with the case workflow',
        'libs/fences/feature',
        '@ecc/cases-feature',
        'CasesModule',
      ],
      ['notices moving a lead', 'libs/notices/feature', '@ecc/leads-data', 'transitionLead'],
      [
        'the case workflow reading the legal periods',
        'libs/cases/domain',
        '@ecc/legal-domain',
        'LEGAL_PERIODS',
      ],
      [
        'the policies composing every context',
        'libs/policies/feature',
        '@ecc/evaluation-domain',
        'evaluationPolicySchema',
      ],
      ['the audit feature raising alerts', 'libs/audit/feature', '@ecc/alerts-data', 'StaffAlertsRepository'],
      [
        "the statistics rendering in the documents' render pool",
        'libs/statistics/feature',
        '@ecc/documents-feature',
        'DocumentsModule',
      ],
      [
        "the case file rendering in the documents' render pool",
        'libs/casefile/feature',
        '@ecc/documents-feature',
        'DocumentRenderPool',
      ],
    ])('lets %s through', async (_what, lib, pkg, name) => {
      const messages = await lint(
        `${lib}/src/probe.ts`,
        `import { ${name} } from '${pkg}';\nexport const y = ${name};\n`,
      );
      expect(messages).toEqual([]);
    });

    it('fails the lint run on a file with an upward import, and passes once it is gone', () => {
      // A real file on disk, linted by the same command as `npm run lint` (not only through the API).
      const file = resolve(root, 'libs/screening/feature/src/upward-import.probe.ts');
      writeFileSync(
        file,
        `import { CasesModule } from '@ecc/cases-feature';\nexport const y = CasesModule;\n`,
      );
      const eslintBin = resolve(root, 'node_modules/eslint/bin/eslint.js');
      const run = () =>
        execFileSync(process.execPath, [eslintBin, '--no-warn-ignored', file], {
          cwd: root,
          encoding: 'utf8',
        });
      try {
        let failure: { status?: number; stdout?: string } = {};
        try {
          run();
        } catch (error) {
          failure = error as typeof failure;
        }
        expect(failure.status).toBe(1);
        expect(failure.stdout).toContain('A project tagged with "scope:screening" can only depend on');
        writeFileSync(
          file,
          `import { LEAD_STATUSES } from '@ecc/leads-domain';\nexport const y = LEAD_STATUSES;\n`,
        );
        expect(run()).not.toContain('error');
      } finally {
        rmSync(file, { force: true });
      }
    }, 60_000);

    it('tags every project with its context, and the order names every context', () => {
      const config = readFileSync(resolve(root, 'eslint.config.mjs'), 'utf8');
      const rowsText = /const CONTEXT_ROWS = (\[[\s\S]*?\n\]);/.exec(config)?.[1] ?? '[]';
      const ordered = new Set<string>(
        (JSON.parse(rowsText.replace(/'/g, '"').replace(/,(\s*\])/g, '$1')) as string[][])
          .flat()
          .map((entry) => entry.split(':')[0]!),
      );
      const projects = ['apps', 'libs'].flatMap((top) =>
        readdirSync(resolve(root, top)).flatMap((dir) =>
          top === 'apps'
            ? [join(top, dir)]
            : readdirSync(resolve(root, top, dir)).map((layer) => join(top, dir, layer)),
        ),
      );
      for (const project of [...projects, 'tests']) {
        const tags: string[] = JSON.parse(readFileSync(resolve(root, project, 'package.json'), 'utf8')).nx
          .tags;
        const scopes = tags.filter((t) => t.startsWith('scope:'));
        const context = project.startsWith('libs/') ? project.split('/')[1] : project.split('/').at(-1);
        expect({ project, scopes }).toEqual({ project, scopes: [`scope:${context}`] });
        expect({ project, ordered: ordered.has(context!) }).toEqual({ project, ordered: true });
      }
    });
  });
});
