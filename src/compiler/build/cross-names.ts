// Layer names of DCN-v2 cross layers (cross.ts), dependency-free so the exporters can read
// weights by name without loading the builder.

/** Layer names of cross layer j of one expert, after the expert's own prefix (l0_pool_p_e0). */
export const crossName = {
  /** The layer's Dense to width d (kernel W, or V in the low-rank form; bias b). */
  dense: (expert: string, j: number) => `${expert}_cross${j}`,
  /** The low-rank form's first factor U (no bias). */
  down: (expert: string, j: number) => `${expert}_cross${j}_down`,
  mul: (expert: string, j: number) => `${expert}_cross${j}_mul`,
  add: (expert: string, j: number) => `${expert}_cross${j}_add`,
};

/** The name prefix of expert e of a pool (as layerName.expert without its part). */
export const expertPrefix = (level: number, pool: string, e: number) => `l${level}_pool_${pool}_e${e}`;
