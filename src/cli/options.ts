// Option parsers shared by commands (commander calls them; a bad value is a usage error, exit 2).
import { InvalidArgumentError } from 'commander';
import { FORMATS, type Format } from '../util/output.js';

export function parseFormat(allowed: readonly string[] = FORMATS) {
  return (v: string): Format => {
    if (!allowed.includes(v)) throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}`);
    return v as Format;
  };
}

export function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

export function parsePositiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

export function parsePositiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}
