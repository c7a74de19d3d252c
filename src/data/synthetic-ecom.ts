// A seeded synthetic e-commerce log: impressions of items to users in three scenes, with
// clicks and post-click conversions whose propensities come from latent user and item
// factors, so that a model can learn them from the observable columns.
//
// World (drawn from the seed alone, shared by every row stream):
//   categories: a latent vector q_c, a popularity (Zipf) and a price level
//   users: age, gender, city; a click-taste vector p_u built from age, gender, city and an
//     individual part (so the profile columns carry signal); an independent purchase-taste
//     vector and a spending propensity (partly age)
//   items: a category, a log-normal price around the category's level, a click vector near
//     q_c, a click quality, an independent purchase vector and purchase quality
// Row (from the sub-stream `stream`): a user (by activity), a scene, an hour, the user's
// recent click history (categories drawn from their taste), and an item (in search/detail
// more often from the user's favourite categories, as a ranker would show).
//
//   click part       z1 = p_u . r_i + quality_i + scene + hour + 0.25 * (times the item's
//                         category is in the history)
//   (+ with crossSignal > 0, an interaction term: see crossInteraction)
//   conversion part  z2 = p2_u . r2_i + quality2_i + spend_u - 0.7 * standardised log price
//                         + scene
// Both are standardised (mean 0, sd 1, measured on a calibration sample), then
//   logit P(click)              = b1 + clickSignal * z1
//   logit P(conversion | click) = b2 + conversionSignal * (rho z1 + sqrt(1 - rho^2) z2)
// with rho = `correlation`: rho = 1 makes conversion follow the click propensity, rho = 0
// makes it independent, rho < 0 opposed. b1 and b2 are solved so that the click rate and the
// conversion rate among clicks hit `clickRate` and `conversionRate`. conversion = 1 only
// where click = 1 (ESMM's setting: conversion is only observed after a click).
//
// historyAffinity (default 0: off, and the data is then exactly what it was before the param
// existed) adds to z1 a history-target affinity that pooling the history alone cannot express:
// historyAffinity x (entries of the history in the *complementary* category of the shown item),
// where each category has one complement drawn from its own sub-stream (a random derangement).
// Which history entries matter depends on the target: the case target attention (DIN) is for.
import { Rng, WeightedSampler } from './random.js';
import { ECOM_PARAMS } from '../schema/generator-params.js';
import { checkCommonOptions, resolveParams } from './synthetic-params.js';
import { createTable, type Column, type Table } from './table.js';

export { ECOM_PARAMS };

type EcomParams = Record<keyof typeof ECOM_PARAMS, number>;

export interface EcomOptions {
  rows: number;
  seed: number;
  /** Coupling of the conversion propensity to the click propensity, in [-1, 1]. */
  correlation: number;
  params?: Readonly<Record<string, number>>;
  /** Names the row stream: use different names for train and test. Default 'train'. */
  stream?: string;
  /** Also emit the true probabilities p_click and p_conversion (given click): for tests and
   * for the Bayes-optimal AUC. Never use them as features. */
  includeLatent?: boolean;
}

export const SCENES = ['home', 'search', 'detail'] as const;
const SCENE_SAMPLER = new WeightedSampler([0.5, 0.3, 0.2]); // immutable after construction
const SCENE_CLICK = [0, 0.4, 0.2];
const SCENE_CONVERSION = [0, 0.1, 0.3];
/** Chance that the shown item comes from one of the user's favourite categories, per scene. */
const SCENE_PERSONALISED = [0.3, 0.6, 0.6];
const CALIBRATION_ROWS = 4000;

interface World {
  readonly p: EcomParams;
  readonly userAge: Float64Array;
  readonly userGender: Uint8Array;
  readonly userCity: Uint32Array;
  readonly userTaste: Float64Array[];
  readonly userBuyTaste: Float64Array[];
  readonly userSpend: Float64Array;
  readonly userActivity: WeightedSampler;
  readonly userCategories: WeightedSampler[];
  readonly itemCategory: Uint32Array;
  readonly itemLogPrice: Float64Array;
  readonly itemVector: Float64Array[];
  readonly itemQuality: Float64Array;
  readonly itemBuyVector: Float64Array[];
  readonly itemBuyQuality: Float64Array;
  readonly itemPopularity: WeightedSampler;
  readonly categoryItems: { ids: Uint32Array; sampler: WeightedSampler }[];
  readonly logPriceMean: number;
  readonly logPriceSd: number;
  readonly hours: WeightedSampler;
  /** historyAffinity > 0: the complementary category of each category; else null. */
  readonly complement: Uint32Array | null;
}

interface Impression {
  user: number;
  item: number;
  scene: number;
  hour: number;
  history: number[];
  z1: number;
  z2: number;
}

export function generateEcom(options: EcomOptions): Table {
  const { rows, seed, correlation: rho } = options;
  checkCommonOptions('ecom', rows, rho);
  const p = resolveParams('ecom', ECOM_PARAMS, options.params);
  const root = new Rng(seed);
  const world = buildWorld(root.fork('ecom:world'), p, root);

  // With crossSignal > 0 the click part also gets an interaction term (crossInteraction).
  const cross = p.crossSignal > 0 ? crossInteraction(world, p.crossSignal) : null;
  // Off by default (scenarioEffect = 0): no draws, no change to any row.
  const scenes = p.scenarioEffect > 0 ? buildSceneEffect(root.fork('ecom:scene-effect'), p) : null;
  const draw = (r: Rng): Impression => {
    const e = withSceneEffect(drawImpression(world, r), world, scenes);
    if (cross) e.z1 += cross(e);
    return e;
  };

  // Standardise z1, z2 and solve the two biases on a calibration sample of the same world.
  const calibrationRng = root.fork('ecom:calibration');
  const calibration = Array.from({ length: CALIBRATION_ROWS }, () => draw(calibrationRng));
  const z1Stats = meanSd(calibration.map((e) => e.z1));
  const z2Stats = meanSd(calibration.map((e) => e.z2));
  const coupling = Math.sqrt(Math.max(0, 1 - rho * rho));
  const clickScore = (e: Impression) => (p.clickSignal * (e.z1 - z1Stats.mean)) / z1Stats.sd;
  const conversionScore = (e: Impression) =>
    p.conversionSignal * ((rho * (e.z1 - z1Stats.mean)) / z1Stats.sd + (coupling * (e.z2 - z2Stats.mean)) / z2Stats.sd);
  const calClick = calibration.map(clickScore);
  const clickBias = solveBias(calClick, null, p.clickRate);
  const calWeights = calClick.map((s) => sigmoid(clickBias + s));
  const conversionBias = solveBias(calibration.map(conversionScore), calWeights, p.conversionRate);

  const rng = root.fork(`ecom:rows:${options.stream ?? 'train'}`);
  const cols = {
    user_id: new Array<string>(rows),
    user_age: new Float64Array(rows),
    user_gender: new Array<string>(rows),
    user_city: new Array<string>(rows),
    user_history: new Array<string>(rows),
    item_id: new Array<string>(rows),
    item_category: new Array<string>(rows),
    item_price: new Float64Array(rows),
    context_hour: new Float64Array(rows),
    scene: new Array<string>(rows),
    click: new Float64Array(rows),
    conversion: new Float64Array(rows),
    p_click: new Float64Array(rows),
    p_conversion: new Float64Array(rows),
  };
  for (let r = 0; r < rows; r++) {
    const e = draw(rng);
    const pClick = sigmoid(clickBias + clickScore(e));
    const pConversion = sigmoid(conversionBias + conversionScore(e));
    // Both uniforms are always drawn, so runs that differ only in `correlation` share every
    // other random number (a clean comparison).
    const clicked = rng.uniform() < pClick;
    const converted = rng.uniform() < pConversion;
    cols.user_id[r] = `u${e.user}`;
    cols.user_age[r] = world.userAge[e.user];
    cols.user_gender[r] = world.userGender[e.user] ? 'f' : 'm';
    cols.user_city[r] = `city${world.userCity[e.user]}`;
    cols.user_history[r] = e.history.map((c) => `cat${c}`).join('|');
    cols.item_id[r] = `i${e.item}`;
    cols.item_category[r] = `cat${world.itemCategory[e.item]}`;
    cols.item_price[r] = Math.round(Math.exp(world.itemLogPrice[e.item]) * 100) / 100;
    cols.context_hour[r] = e.hour;
    cols.scene[r] = SCENES[e.scene];
    cols.click[r] = clicked ? 1 : 0;
    cols.conversion[r] = clicked && converted ? 1 : 0;
    cols.p_click[r] = pClick;
    cols.p_conversion[r] = pConversion;
  }

  const columns = new Map<string, Column>();
  for (const [name, values] of Object.entries(cols)) {
    if (!options.includeLatent && (name === 'p_click' || name === 'p_conversion')) continue;
    // Generated data has no missing cells; an empty user_history is an empty history.
    const missing = new Uint8Array(rows);
    columns.set(
      name,
      values instanceof Float64Array ? { kind: 'number', values, missing } : { kind: 'string', values, missing },
    );
  }
  return createTable(columns);
}

/**
 * The complementary category of each category: a random derangement (no category is its own
 * complement) drawn from its own sub-stream, so turning the signal on changes no other draw.
 */
function complementCategories(rng: Rng, categories: number): Uint32Array | null {
  if (categories < 2) return null;
  const order = Uint32Array.from({ length: categories }, (_, i) => i);
  for (let i = categories - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  // A cycle through the shuffled order: order[k] -> order[k+1] is a derangement.
  const out = new Uint32Array(categories);
  for (let k = 0; k < categories; k++) out[order[k]] = order[(k + 1) % categories];
  return out;
}

/** The history-target affinity term of z1 (0 when the signal is off). */
function historyAffinity(w: World, history: readonly number[], category: number): number {
  if (w.complement === null || w.p.historyAffinity === 0) return 0;
  const wanted = w.complement[category];
  let n = 0;
  for (const c of history) if (c === wanted) n++;
  return w.p.historyAffinity * n;
}

function buildWorld(rng: Rng, p: EcomParams, root: Rng): World {
  const k = p.factors;
  // Vectors scaled by 1/sqrt(k) so dot products have the same spread for any factor count.
  const vec = (sd: number) => Float64Array.from({ length: k }, () => rng.normal(0, sd / Math.sqrt(k)));
  const zipf = (n: number, s: number) => Float64Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s));

  const categoryVector = Array.from({ length: p.categories }, () => vec(1));
  const categoryPriceLevel = Float64Array.from({ length: p.categories }, () => rng.normal(3.5, 0.8));
  const categoryPopularity = new WeightedSampler(zipf(p.categories, 0.8));
  const cityVector = Array.from({ length: p.cities }, () => vec(0.5));
  const cityPopularity = new WeightedSampler(zipf(p.cities, 1));
  const ageDirection = vec(0.6);
  const genderDirection = vec(0.6);

  const userAge = new Float64Array(p.users);
  const userGender = new Uint8Array(p.users);
  const userCity = new Uint32Array(p.users);
  const userTaste: Float64Array[] = [];
  const userBuyTaste: Float64Array[] = [];
  const userSpend = new Float64Array(p.users);
  const activity = new Float64Array(p.users);
  const userCategories: WeightedSampler[] = [];
  for (let u = 0; u < p.users; u++) {
    const age = Math.min(80, Math.max(18, Math.round(rng.normal(36, 12))));
    userAge[u] = age;
    userGender[u] = rng.bernoulli(0.5) ? 1 : 0;
    userCity[u] = cityPopularity.sample(rng);
    const a = (age - 36) / 12;
    const g = userGender[u] ? 1 : -1;
    const own = vec(0.8);
    const taste = own.map((x, j) => x + a * ageDirection[j] + g * genderDirection[j] + cityVector[userCity[u]][j]);
    userTaste.push(taste);
    userBuyTaste.push(vec(1));
    userSpend[u] = 0.4 * a + rng.normal(0, 0.9);
    activity[u] = Math.exp(rng.normal(0, 0.8));
    // Favourite categories: softmax of taste . category vector (sharpened), times popularity.
    userCategories.push(
      new WeightedSampler(categoryVector.map((q, c) => Math.exp(3 * dot(taste, q)) / Math.pow(c + 1, 0.5))),
    );
  }

  const itemCategory = new Uint32Array(p.items);
  const itemLogPrice = new Float64Array(p.items);
  const itemVector: Float64Array[] = [];
  const itemQuality = new Float64Array(p.items);
  const itemBuyVector: Float64Array[] = [];
  const itemBuyQuality = new Float64Array(p.items);
  const itemWeight = new Float64Array(p.items);
  for (let i = 0; i < p.items; i++) {
    const c = categoryPopularity.sample(rng);
    itemCategory[i] = c;
    itemLogPrice[i] = categoryPriceLevel[c] + rng.normal(0, 0.5);
    const noise = vec(0.5);
    itemVector.push(categoryVector[c].map((x, j) => x + noise[j]));
    itemQuality[i] = rng.normal(0, 0.5);
    itemBuyVector.push(vec(1));
    itemBuyQuality[i] = rng.normal(0, 0.5);
    itemWeight[i] = Math.exp(rng.normal(0, 1));
  }
  const categoryItems = Array.from({ length: p.categories }, (_, c) => {
    const ids = Uint32Array.from(itemCategory.keys()).filter((i) => itemCategory[i] === c);
    // A category no item drew keeps one placeholder item (only possible with few items).
    const members = ids.length > 0 ? ids : Uint32Array.of(c % p.items);
    return { ids: members, sampler: new WeightedSampler(Array.from(members, (i) => itemWeight[i])) };
  });
  const priceStats = meanSd(Array.from(itemLogPrice));
  // Evening peak and a smaller lunch peak.
  const hourWeights = Array.from(
    { length: 24 },
    (_, h) => 0.3 + Math.exp(-((h - 20) ** 2) / 18) + 0.5 * Math.exp(-((h - 12) ** 2) / 8),
  );

  return {
    p,
    userAge,
    userGender,
    userCity,
    userTaste,
    userBuyTaste,
    userSpend,
    userActivity: new WeightedSampler(activity),
    userCategories,
    itemCategory,
    itemLogPrice,
    itemVector,
    itemQuality,
    itemBuyVector,
    itemBuyQuality,
    itemPopularity: new WeightedSampler(itemWeight),
    categoryItems,
    logPriceMean: priceStats.mean,
    logPriceSd: priceStats.sd,
    hours: new WeightedSampler(hourWeights),
    complement: p.historyAffinity > 0 ? complementCategories(root.fork('ecom:affinity'), p.categories) : null,
  };
}

function drawImpression(w: World, rng: Rng): Impression {
  const user = w.userActivity.sample(rng);
  const scene = SCENE_SAMPLER.sample(rng);
  const hour = w.hours.sample(rng);
  const favourites = w.userCategories[user];
  const historyLength = rng.int(w.p.historyMax + 1);
  const history: number[] = [];
  for (let h = 0; h < historyLength; h++) history.push(favourites.sample(rng));
  let item: number;
  if (rng.bernoulli(SCENE_PERSONALISED[scene])) {
    const pool = w.categoryItems[favourites.sample(rng)];
    item = pool.ids[pool.sampler.sample(rng)];
  } else {
    item = w.itemPopularity.sample(rng);
  }
  const category = w.itemCategory[item];
  let inHistory = 0;
  for (const c of history) if (c === category) inHistory++;
  const base =
    dot(w.userTaste[user], w.itemVector[item]) +
    w.itemQuality[item] +
    SCENE_CLICK[scene] +
    0.3 * Math.cos((2 * Math.PI * (hour - 20)) / 24) +
    0.25 * inHistory;
  // Off (0), z1 is exactly the expression above: no term is added, not even + 0.
  const z1 = w.complement === null ? base : base + historyAffinity(w, history, category);
  const z2 =
    dot(w.userBuyTaste[user], w.itemBuyVector[item]) +
    w.itemBuyQuality[item] +
    w.userSpend[user] -
    (0.7 * (w.itemLogPrice[item] - w.logPriceMean)) / w.logPriceSd +
    SCENE_CONVERSION[scene];
  return { user, item, scene, hour, history, z1, z2 };
}

/**
 * The cross-interaction signal (param crossSignal = s, off at 0): a click-logit term that no
 * single observable column carries, only products of two:
 *   s * (age~ * price~ + gender_sign * category_sign)
 * age~ and price~ are the user's age and the item's log price standardised over the world,
 * gender_sign is +1 for f and -1 for m, category_sign +1 for even category ids and -1 for odd.
 * Uses no random numbers, so every other column is the same as with s = 0.
 */
function crossInteraction(w: World, s: number): (e: Impression) => number {
  const age = meanSd(Array.from(w.userAge));
  return (e) => {
    const ageStd = (w.userAge[e.user] - age.mean) / age.sd;
    const priceStd = (w.itemLogPrice[e.item] - w.logPriceMean) / w.logPriceSd;
    const gender = w.userGender[e.user] ? 1 : -1;
    const category = w.itemCategory[e.item] % 2 === 0 ? 1 : -1;
    return s * (ageStd * priceStd + gender * category);
  };
}

/**
 * A scene-specific effect, for the STAR study (`scenarioEffect` > 0; drawn from its own stream,
 * so the world and every row's other draws are the same as without it). Each scene s has a
 * weight vector w_s (k entries, N(0, 1)) and a price slope c_s (N(0, 1)); in scene s
 *   z1 += scenarioEffect * sqrt(k) * sum_j w_s[j] p_u[j] r_i[j]   (a scene-weighted affinity)
 *   z2 += scenarioEffect * c_s * standardised log price
 * so what drives a click and a purchase differs by scene, in a way shared structure with
 * scene-specific weights can express.
 */
interface SceneEffect {
  readonly scale: number;
  readonly weights: Float64Array[];
  readonly priceSlope: Float64Array;
}

function buildSceneEffect(rng: Rng, p: EcomParams): SceneEffect {
  return {
    scale: p.scenarioEffect,
    weights: SCENES.map(() => Float64Array.from({ length: p.factors }, () => rng.normal(0, 1))),
    priceSlope: Float64Array.from(SCENES, () => rng.normal(0, 1)),
  };
}

function withSceneEffect(e: Impression, w: World, s: SceneEffect | null): Impression {
  if (s === null) return e;
  const taste = w.userTaste[e.user];
  const item = w.itemVector[e.item];
  const weights = s.weights[e.scene];
  let affinity = 0;
  for (let j = 0; j < weights.length; j++) affinity += weights[j] * taste[j] * item[j];
  const price = (w.itemLogPrice[e.item] - w.logPriceMean) / w.logPriceSd;
  return {
    ...e,
    z1: e.z1 + s.scale * Math.sqrt(weights.length) * affinity,
    z2: e.z2 + s.scale * s.priceSlope[e.scene] * price,
  };
}

/**
 * The bias b with weighted mean of sigmoid(b + score) equal to `rate` (bisection; the mean is
 * increasing in b). Weights null: plain mean.
 */
function solveBias(scores: readonly number[], weights: readonly number[] | null, rate: number): number {
  let lo = -30;
  let hi = 30;
  for (let iter = 0; iter < 60; iter++) {
    const mid = (lo + hi) / 2;
    let num = 0;
    let den = 0;
    for (let i = 0; i < scores.length; i++) {
      const wgt = weights === null ? 1 : weights[i];
      num += wgt * sigmoid(mid + scores[i]);
      den += wgt;
    }
    if (num / den < rate) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= xs.length;
  let v = 0;
  for (const x of xs) v += (x - mean) ** 2;
  const sd = Math.sqrt(v / xs.length);
  // A constant part (e.g. one user and one item) has no spread: leave it unscaled.
  return { mean, sd: sd > 0 ? sd : 1 };
}
