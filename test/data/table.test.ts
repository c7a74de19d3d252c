import { describe, expect, it } from 'vitest';
import {
  createTable,
  getColumn,
  numberColumn,
  rowLocation,
  seededSplit,
  selectRows,
  splitTable,
  stringColumn,
} from '../../src/data/table.js';

const table = () =>
  createTable(
    { x: numberColumn([1, NaN, 3, 4, 5]), s: stringColumn(['a', null, 'c', 'd', 'e']) },
    { file: 'f.csv', lines: Uint32Array.of(2, 3, 5, 6, 7) },
  );

describe('table', () => {
  it('marks NaN and null as missing', () => {
    const t = table();
    expect([...t.columns.get('x')!.missing]).toEqual([0, 1, 0, 0, 0]);
    expect([...t.columns.get('s')!.missing]).toEqual([0, 1, 0, 0, 0]);
  });

  it('rejects columns of different lengths and names unknown columns', () => {
    expect(() => createTable({ a: numberColumn([1]), b: numberColumn([1, 2]) })).toThrow(
      /column "b" has 2 rows, the others 1/,
    );
    expect(() => getColumn(table(), 'y', 'feature "y"')).toThrow(
      'feature "y": column "y" not found; the data has: x, s',
    );
  });

  it('selects rows with their origin lines', () => {
    const t = selectRows(table(), [4, 0]);
    expect(t.rowCount).toBe(2);
    expect([...(t.columns.get('x')!.values as Float64Array)]).toEqual([5, 1]);
    expect(t.columns.get('s')!.values).toEqual(['e', 'a']);
    expect(rowLocation(t, 0)).toBe('f.csv:7');
    expect(rowLocation(createTable({ a: numberColumn([1]) }), 0)).toBe('row 1');
  });

  it('splits deterministically from the seed, independently per label', () => {
    const a = seededSplit(1000, 0.2, 42, 'test');
    expect(a).toEqual(seededSplit(1000, 0.2, 42, 'test'));
    expect(a.heldOut.length).toBe(200);
    expect(a.kept.length).toBe(800);
    expect(new Set([...a.kept, ...a.heldOut]).size).toBe(1000);
    expect([...a.kept]).toEqual([...a.kept].sort((x, y) => x - y));
    expect(a.heldOut).not.toEqual(seededSplit(1000, 0.2, 43, 'test').heldOut);
    expect(a.heldOut).not.toEqual(seededSplit(1000, 0.2, 42, 'validation').heldOut);
  });

  it('splits tables', () => {
    const { kept, heldOut } = splitTable(table(), 0.4, 1, 'test');
    expect(kept.rowCount + heldOut.rowCount).toBe(5);
    expect(heldOut.rowCount).toBe(2);
  });
});
