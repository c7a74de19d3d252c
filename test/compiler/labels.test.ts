// explain and diff say derived labels, evaluation labels and sample weights in words.
import { describe, expect, it } from 'vitest';
import { cli } from '../train/helpers.js';

const flat = (s: string) => s.replace(/\s+/g, ' ');
const EVAL = 'tasks.cvr.evaluation={ label: conversion, sampleSpace: { column: click } }';
const DERIVED = 'tasks.cvr.labelFrom={ all: [click, { column: conversion, equals: 1 }] }';

describe('explain', () => {
  it('an ESMM factor evaluated on its own sample space', async () => {
    const r = await cli('explain', 'configs/esmm.yaml', '--set', EVAL);
    expect(r.code).toBe(0);
    expect(flat(r.out)).toContain(
      'cvr (no label: learned only through ctcvr, evaluated (metrics only) on conversion where click = 1)',
    );
  });
  it('a derived label and sample weights', async () => {
    const r = await cli('explain', 'configs/esmm.yaml', '--set', DERIVED, '--set', 'training.sampleWeight=user_age');
    expect(r.code).toBe(0);
    expect(flat(r.out)).toContain('ctr (label click, rows weighted by user_age)');
    expect(flat(r.out)).toContain('cvr (label click and conversion = 1, rows weighted by user_age)');
  });
});

describe('diff', () => {
  it('shows the label, the evaluation label and the weight that changed, located', async () => {
    const r = await cli(
      'diff',
      'configs/esmm.yaml',
      'configs/esmm.yaml',
      '--set-b',
      EVAL,
      '--set-b',
      'tasks.ctr.sampleWeight=user_age',
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      '  ~ ctr    configs/esmm.yaml:15:5 -> configs/esmm.yaml:15:5\n      sampleWeight: none -> user_age    configs/esmm.yaml:15:5 -> <--set>:2:24\n',
    );
    expect(r.out).toContain(
      '      evaluation: none -> conversion where click = 1    configs/esmm.yaml:16:5 -> <--set>:1:22\n',
    );
    const d = await cli('diff', 'configs/esmm.yaml', 'configs/esmm.yaml', '--set-b', DERIVED);
    expect(d.out).toContain(
      '  ~ cvr    configs/esmm.yaml:16:5 -> configs/esmm.yaml:16:5\n      label: none -> click and conversion = 1\n',
    );
  });
});
