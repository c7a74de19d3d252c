import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitPipeline } from '../../src/data/pipeline.js';
import { createTable, stringColumn } from '../../src/data/table.js';
import { loadVocabularyFiles, readVocabularyFile } from '../../src/data/vocabulary-file.js';
import { categorical } from './features.js';

const dir = mkdtempSync(join(tmpdir(), 'mmoe-vocab-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vocabulary files', () => {
  it('loads files relative to the base dir, keyed as the spec writes them', async () => {
    mkdirSync(join(dir, 'vocab'));
    writeFileSync(join(dir, 'vocab/city.txt'), 'paris\r\nrome\n\nlima\n');
    const features = [categorical('city', { vocabularyFile: 'vocab/city.txt' })];
    const files = await loadVocabularyFiles(features, dir);
    expect([...files]).toEqual([['vocab/city.txt', ['paris', 'rome', 'lima']]]);
    const p = fitPipeline(features, createTable({ city: stringColumn(['rome', 'oslo']) }), { vocabularyFiles: files });
    expect([...p.transform(createTable({ city: stringColumn(['rome', 'oslo']) })).features.get('city')!]).toEqual([
      2, 0,
    ]);
    // the manifest holds the values, not the (machine-specific) path
    expect(JSON.stringify(p.toJSON())).not.toContain(dir);
  });

  it('reports a missing file, a directory and duplicates in one line', async () => {
    await expect(readVocabularyFile(join(dir, 'none.txt'), 'none.txt')).rejects.toThrow(
      'none.txt: vocabulary file not found',
    );
    await expect(readVocabularyFile(dir, 'vocab')).rejects.toThrow('vocab: is a directory, expected a vocabulary file');
    writeFileSync(join(dir, 'dup.txt'), 'a\nb\na\n');
    await expect(readVocabularyFile(join(dir, 'dup.txt'), 'dup.txt')).rejects.toThrow(
      'dup.txt:3: "a" already on line 1',
    );
  });
});
