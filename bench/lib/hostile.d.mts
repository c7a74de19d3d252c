export interface HostileCase {
  spec: string;
  files: Record<string, string>;
}
export function aliases(n: number): HostileCase;
export function keys(n: number): HostileCase;
export function duplicateKeys(n: number): HostileCase;
export function extendsMerge(n: number): HostileCase;
export function towers(n: number): HostileCase;
export const CASES: Record<
  'aliases' | 'keys' | 'duplicateKeys' | 'extendsMerge' | 'towers',
  (n: number) => HostileCase
>;
