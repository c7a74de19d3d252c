// Node side of the ONNX export: read a compiled or trained model folder, and write the .onnx
// file atomically without ever replacing a file this tool did not write.
import { existsSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ModelIR } from '../../compiler/ir.js';
import type { OnnxExportInput } from './export.js';
import { onnx, PRODUCER } from './proto.js';
import type { OrtEngine, OrtModule } from './runtime.js';

/** A model folder's problem a user can fix (missing file, bad JSON, unsafe output path). */
export class ExportIoError extends Error {}

/** ir.json, model.json and its weight files (concatenated in manifest order) from a folder. */
export function readExportInput(dir: string): OnnxExportInput {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ExportIoError(`${dir} is not a folder (give a compiled or trained output folder, e.g. out/ecom)`);
  const json = (file: string): unknown => {
    const path = join(dir, file);
    if (!existsSync(path))
      throw new ExportIoError(
        `${dir} is not a compiled or trained output folder: ${file} is missing (run \`mmoe-compile build <spec>\` first)`,
      );
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as unknown;
    } catch (err) {
      throw new ExportIoError(`${path} is not valid JSON: ${(err as Error).message}`);
    }
  };
  const ir = json('ir.json') as ModelIR;
  const modelJson = json('model.json') as { weightsManifest?: { paths?: string[] }[] };
  const paths = (modelJson.weightsManifest ?? []).flatMap((g) => g.paths ?? []);
  const parts = paths.map((p) => {
    const path = join(dir, p);
    if (basename(p) !== p || !existsSync(path))
      throw new ExportIoError(`${join(dir, 'model.json')}: weight file "${p}" is not in the folder`);
    return readFileSync(path);
  });
  const weights = new Uint8Array(Buffer.concat(parts));
  return { ir, modelJson, weights };
}

/** Was `path` written by this tool (an ONNX model whose producer is mmoe-compile)? */
function writtenByUs(path: string): boolean {
  try {
    return onnx.ModelProto.decode(readFileSync(path)).producerName === PRODUCER;
  } catch {
    return false;
  }
}

/**
 * Write an .onnx file: to a temporary file in the same folder, then renamed over the target, so
 * a reader never sees half a file. Refuses a path not ending in .onnx, a folder, and an existing
 * file this tool did not write. (Kept in one function so a shared safe-output module can replace it.)
 */
export function writeOnnxFile(path: string, bytes: Uint8Array): void {
  if (!path.endsWith('.onnx')) throw new ExportIoError(`-o ${path}: the output file name must end in .onnx`);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new ExportIoError(`-o ${path}: is a folder`);
    if (!writtenByUs(path))
      throw new ExportIoError(
        `-o ${path}: the file exists and was not written by mmoe-compile; refusing to overwrite it (remove it or choose another name)`,
      );
  }
  if (!existsSync(dirname(path) || '.')) throw new ExportIoError(`-o ${path}: folder ${dirname(path)} does not exist`);
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (err) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw new ExportIoError(`cannot write ${path}: ${(err as Error).message}`);
  }
}

/** The ONNX Runtime module of an engine, loaded on demand (onnxruntime-node is an optional dependency). */
export async function loadOrt(engine: OrtEngine): Promise<OrtModule> {
  const name = engine === 'onnxruntime' ? 'onnxruntime-node' : 'onnxruntime-web';
  try {
    const ort = engine === 'onnxruntime' ? await import('onnxruntime-node') : await import('onnxruntime-web');
    return ((ort as { default?: unknown }).default ?? ort) as OrtModule;
  } catch (err) {
    throw new ExportIoError(
      `engine "${engine}" needs the npm package ${name}, which cannot be loaded here (${(err as Error).message.split('\n')[0]})`,
    );
  }
}
