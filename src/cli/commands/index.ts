// Every subcommand registers itself from its own file; this list is the only shared place.
import type { Command } from 'commander';
import type { Io } from '../../util/output.js';
import * as check from './check.js';
import * as diff from './diff.js';
import * as explain from './explain.js';
import * as build from './build.js';
import * as evaluate from './evaluate.js';
import * as experiment from './experiment.js';
import * as exportCmd from './export.js';
import * as init from './init.js';
import * as predict from './predict.js';
import * as train from './train.js';
import * as schema from './schema.js';
import * as validate from './validate.js';

export type Register = (program: Command, io: Io, setExit: (code: number) => void) => void;

export const commands: readonly { register: Register }[] = [
  init,
  build,
  validate,
  schema,
  train,
  evaluate,
  predict,
  exportCmd,
  explain,
  diff,
  check,
  experiment,
];
