// `explain` and `diff` say the optimisation options: the training sentence, the task loss options
// in the heads, and a diff line per changed option with its position.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../train/helpers.js';

const spec = (training: string, ctr = '') => `specVersion: 1
data: { source: synthetic, generator: ecom, rows: 2000 }
features:
  - { name: user_age, type: numeric }
  - { name: item_id, type: categorical, encoding: hash, hashBuckets: 50 }
featureGroups: { user: [user_age, item_id] }
model:
  levels:
    - pools: [{ name: bottom, units: [8] }]
  towers:
    - { name: ctr, input: bottom }
    - { name: cvr, input: bottom }
tasks:
  - { name: ctr, label: click${ctr} }
  - { name: cvr, label: conversion }
training:
  epochs: 2
${training}`;

describe('explain and diff of the optimisation options', () => {
  const dir = tempDir('mmoe-explain-optim-');
  const a = join(dir, 'a.yaml');
  const b = join(dir, 'b.yaml');
  writeFileSync(a, spec(''));
  writeFileSync(
    b,
    spec(
      '  learningRateSchedule: { warmupSteps: 5, decay: exponential, decaySteps: 10, decayRate: 0.9 }\n  gradientClipNorm: 1\n  embeddingL2: { item_id: 0.001 }\n  taskWeighting: { method: dwa }\n',
      ', focal: { gamma: 1.5 }, labelSmoothing: 0.05',
    ),
  );

  it('explain says each option', async () => {
    const r = await cli('explain', b);
    expect(r.code, r.err.join('\n')).toBe(0);
    const text = r.out.replace(/\s+/g, ' ');
    expect(text).toContain('ctr (label click, focal loss with gamma 1.5, label smoothing 0.05)');
    expect(text).toContain(
      'Training: learning rate 0.001 with linear warmup over 5 steps, exponential decay by 0.9 per 10 steps; gradients clipped to global norm 1; L2 on embedding tables item_id (0.001); task losses weighted by Dynamic Weight Average (Liu et al. 2019, temperature 2).',
    );
    const plain = await cli('explain', a);
    expect(plain.out).not.toContain('Training:');
  });

  it('diff lists each changed option where it is written', async () => {
    const r = await cli('diff', a, b);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/focal: none -> \{"gamma":1\.5,"alpha":null\}/);
    expect(r.out).toMatch(/labelSmoothing: none -> 0\.05/);
    expect(r.out).toMatch(/training\.gradientClipNorm: none -> 1 .*b\.yaml:19:21/);
    expect(r.out).toMatch(/training\.taskWeighting: none -> \{"method":"dwa","temperature":2\} .*b\.yaml:21:18/);
    expect(r.out).toMatch(/training\.learningRateSchedule: none -> .*"decay":"exponential"/);
  });
});
