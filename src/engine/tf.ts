// The tfjs namespace as a type. Modules that only need the type import it from here, not from
// backend.ts, so that importing it loads nothing (the browser-safe serving core relies on this).
export type Tf = typeof import('@tensorflow/tfjs');
