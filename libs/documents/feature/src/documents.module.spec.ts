import { Global, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { renderDocument, sampleDocuments } from '@ecc/documents-pdf';
import { APP_CONFIG } from '@ecc/platform-nest';
import type { AppConfig } from '@ecc/shared-config';
import { DocumentRenderPool } from './document-render-pool';
import { DocumentsModule } from './documents.module';

jest.setTimeout(60_000);

const config = { documents: { renderConcurrency: 1 } } as unknown as AppConfig;

/** The configuration, as the apps' infrastructure module provides it (global). */
@Global()
@Module({ providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] })
class ConfigModule {}

/** Two contexts that print, each importing the documents module, as the case file and the statistics do. */
@Injectable()
class FirstPrinter {
  constructor(readonly pool: DocumentRenderPool) {}
}
@Module({ imports: [DocumentsModule], providers: [FirstPrinter] })
class FirstFeature {}
@Injectable()
class SecondPrinter {
  constructor(readonly pool: DocumentRenderPool) {}
}
@Module({ imports: [DocumentsModule], providers: [SecondPrinter] })
class SecondFeature {}

@Module({ imports: [ConfigModule, FirstFeature, SecondFeature] })
class App {}

describe('DocumentsModule', () => {
  it('gives every module that imports it the one pool, sized by the configuration, closed with the app', async () => {
    const app = await NestFactory.createApplicationContext(App, { logger: false });
    const pool = app.get(FirstPrinter).pool;
    expect(app.get(SecondPrinter).pool).toBe(pool);
    expect(pool.threads).toBe(1);

    const decision = sampleDocuments()['decision']!;
    expect((await pool.renderDocument(decision)).sha256).toBe((await renderDocument(decision)).sha256);

    await app.close();
    await expect(pool.renderDocument(decision)).rejects.toThrow('the render pool is closed');
  });
});
