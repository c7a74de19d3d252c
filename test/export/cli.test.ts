// `mmoe-compile export` and `predict --engine` through the CLI entry: the file written (opset,
// producer, input and output names, the symbolic batch axis), that ONNX Runtime loads it, the
// output rules (atomic, .onnx only, never over a file mmoe-compile did not write), exit codes
// and messages for bad folders, and predict's scores on each engine.
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/util/output.js';
import { onnx } from '../../src/export/onnx/proto.js';
import { compileConfig, tempDir } from '../serve/helpers.js';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let dir: string;
let tmp: string;
beforeAll(async () => {
  dir = await compileConfig('multi-scenario');
  tmp = tempDir('mmoe-export-cli-');
}, 60_000);
afterAll(() => {
  rmSync(dirname(dir), { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

describe('export --format onnx', () => {
  it('writes an opset-17 model named like the tfjs model, which ONNX Runtime loads', async () => {
    const file = join(tmp, 'm.onnx');
    const r = await run('export', dir, '--format', 'onnx', '-o', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wrote .*m\.onnx \(ONNX opset 17, \d+ KiB\)$/);
    const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const topology = modelJson.modelTopology.config;
    const inputs = topology.input_layers.map((x: unknown[]) => x[0]);
    const outputs = topology.output_layers.map((x: unknown[]) => x[0]);
    expect(inputs).toContain('scenario-index');

    const model = onnx.ModelProto.decode(readFileSync(file));
    expect(model.producerName).toBe('mmoe-compile');
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    const graph = model.graph as InstanceType<typeof onnx.GraphProto>;
    expect(graph.input.map((i) => i.name)).toEqual(inputs);
    expect(graph.output.map((o) => o.name)).toEqual(outputs);
    for (const v of [...graph.input, ...graph.output])
      expect(v.type!.tensorType!.shape!.dim![0].dimParam).toBe('batch');

    const session = await ortNode.InferenceSession.create(readFileSync(file));
    expect(session.inputNames).toEqual(inputs);
    expect(session.outputNames).toEqual(outputs);
    await session.release();
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp-'))).toEqual([]);

    // Its own file is replaced; the same input gives the same bytes.
    const before = readFileSync(file);
    expect((await run('export', dir, '-o', file)).code).toBe(0);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('never overwrites a file it did not write, and writes only .onnx files', async () => {
    const foreign = join(tmp, 'foreign.onnx');
    writeFileSync(foreign, 'precious');
    const r = await run('export', dir, '-o', foreign);
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toBe(
      `mmoe-compile: -o ${foreign}: the file exists and was not written by mmoe-compile; refusing to overwrite it (remove it or choose another name)`,
    );
    expect(readFileSync(foreign, 'utf8')).toBe('precious');
    const json = join(tmp, 'ir.json');
    const r2 = await run('export', dir, '-o', json);
    expect(r2).toMatchObject({ code: 2, err: `mmoe-compile: -o ${json}: the output file name must end in .onnx` });
    expect(existsSync(json)).toBe(false);
  });

  it('explains a folder that is not a model folder, or whose weights do not match', async () => {
    const missing = join(tmp, 'nope');
    expect(await run('export', missing, '-o', join(tmp, 'x.onnx'))).toMatchObject({
      code: 2,
      err: `mmoe-compile: ${missing} is not a folder (give a compiled or trained output folder, e.g. out/ecom)`,
    });
    const broken = join(tmp, 'broken');
    mkdirSync(broken);
    for (const f of ['model.json', 'ir.json', 'pipeline.json']) copyFileSync(join(dir, f), join(broken, f));
    expect(await run('export', broken, '-o', join(tmp, 'x.onnx'))).toMatchObject({
      code: 2,
      err: `mmoe-compile: ${join(broken, 'model.json')}: weight file "weights.bin" is not in the folder`,
    });
    writeFileSync(join(broken, 'weights.bin'), readFileSync(join(dir, 'weights.bin')).subarray(0, 100));
    const r = await run('export', broken, '-o', join(tmp, 'x.onnx'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      new RegExp(
        `^mmoe-compile: ${broken}: weights.bin is too short: weight \\S+ needs bytes 0\\.\\.\\d+, the file has 100$`,
      ),
    );
    expect(existsSync(join(tmp, 'x.onnx'))).toBe(false);
    expect((await run('export', dir, '--format', 'tflite', '-o', join(tmp, 'x.onnx'))).code).toBe(2);
  });
});

describe('predict --engine', () => {
  it('scores the same records with the same numbers on tfjs, onnxruntime and onnxruntime-web', async () => {
    const spec = JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8'));
    const pipeline = JSON.parse(readFileSync(join(dir, 'pipeline.json'), 'utf8'));
    const features: { column: string; type: string }[] = pipeline.features;
    expect(spec.name).toBe('multi_scenario');
    // Records with values the pipeline has never seen (OOV buckets, the unknown scenario), and nulls.
    const value = (f: { type: string }, i: number) =>
      i % 3 === 0 ? null : f.type === 'numeric' || f.type === 'bucketized' ? i - 7.5 : `v${i}`;
    const lines = Array.from({ length: 20 }, (_, i) =>
      JSON.stringify(Object.fromEntries(features.map((f) => [f.column, value(f, i)]))),
    );
    const input = join(tmp, 'records.jsonl');
    writeFileSync(input, lines.join('\n'));
    const outs: number[][][] = [];
    for (const engine of ['tfjs', 'onnxruntime', 'onnxruntime-web']) {
      const r = await run('predict', dir, '-i', input, '--engine', engine, '--backend', 'cpu');
      expect(r.code, r.err).toBe(0);
      expect(r.err).toContain(engine === 'tfjs' ? 'backend: cpu; scored 20 rows' : `engine: ${engine}; scored 20 rows`);
      const [head, ...rows] = r.out.split('\n');
      expect(head.split(',').length).toBeGreaterThan(0);
      outs.push(rows.map((l) => l.split(',').map(Number)));
    }
    for (const other of outs.slice(1)) {
      expect(other.length).toBe(20);
      other.forEach((row, i) => row.forEach((v, k) => expect(Math.abs(v - outs[0][i][k])).toBeLessThanOrEqual(1e-5)));
    }
    expect((await run('predict', dir, '-i', input, '--engine', 'torch')).code).toBe(2);
  }, 60_000);
});
