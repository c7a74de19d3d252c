// Serving a compiled or trained model folder: browser-safe (no node: imports anywhere below
// this file), so a bundler can put it in a web page. Node callers reading a folder from disk
// use ./node.ts (loadServableFromDir), which adds a file loader and backend selection.
export {
  loadServable,
  type RecordError,
  type ScoreResult,
  type Servable,
  type ServableOptions,
  type TaskInfo,
  type TaskScores,
  type Tf,
} from './servable.js';
export { fetchLoader, readModelFiles, MODEL_FILES, type FileLoader, type ModelFiles } from './files.js';
export { recordFields, type AbsentFields, type FieldInfo } from './records.js';
export { ENGINES, type EngineName, type OrtModule } from './engines.js';
