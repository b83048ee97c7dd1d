import type { Subject } from "./district.ts";
import type { Form, FormItem } from "./forms.ts";
import type { ItemResult } from "./item-results.ts";
import { divideHalfUp } from "./profile.ts";
import type { Random } from "./random.ts";
import type { Cohort } from "./students.ts";

/**
 * Item points of simulated students. A school's item results are drawn first (scoreForm: near the
 * state, the planted weakness below it); then each item's points are shared out among the
 * school's students who took the test, so that the workbook's percent is counted from them: the
 * total is the whole number of points nearest the drawn percent, and the workbook shows that
 * total as a percent of possible points, rounded half up. Stronger students (by their simulated
 * scaled score) earn each point more often, so groups that score lower (students with
 * disabilities at the planted school) are lower item by item too.
 */
export interface TestScores {
  subject: Subject;
  grade: number;
  /** The students who took the test: indices into the cohort, in cohort order. */
  students: Uint32Array;
  /** Each item's and trait's points, one per student; a whole essay is the sum of its traits. */
  points: Map<FormItem, Uint8Array>;
}

// How much a student's scaled score (in standard deviations) weighs on each point they earn.
const ABILITY_WEIGHT = 1.4;
const SCORE_SD = 21;

/** Scores `cohort`'s students on `form`; returns them and the results counted from them. */
export function scoreStudents(
  form: Form,
  cohort: Cohort,
  drawn: readonly ItemResult[],
  random: Random,
): { results: ItemResult[]; scores: TestScores } {
  const scaled = cohort.scores[form.subject];
  const taking: number[] = [];
  for (let i = 0; i < cohort.grade.length; i++) {
    if (cohort.grade[i] === form.grade && (scaled[i] ?? 0) > 0) taking.push(i);
  }
  const students = Uint32Array.from(taking);
  const n = students.length;
  if (n === 0) throw new Error(`no students took ${form.subject} grade ${form.grade}`);
  const mean = taking.reduce((sum, i) => sum + (scaled[i] ?? 0), 0) / n;
  const weights = taking.map((i) =>
    Math.exp((ABILITY_WEIGHT * ((scaled[i] ?? 0) - mean)) / SCORE_SD),
  );

  const points = new Map<FormItem, Uint8Array>();
  const totals = new Map<FormItem, number>();
  const results = drawn.map((result): ItemResult => {
    if (result.item.role === "essay") return result;
    const possible = n * result.item.points;
    const total = chooseTotal(result, possible);
    totals.set(result.item, total);
    points.set(result.item, shareOut(total, result.item.points, weights, random));
    return { ...result, orgPct: divideHalfUp(100 * total, possible) };
  });

  // A whole essay: its traits' points added up, student by student and in the total.
  for (const [at, result] of results.entries()) {
    if (result.item.role !== "essay") continue;
    const traits = results.filter(
      (r) => r.item.role === "trait" && r.item.essay === result.item.id,
    );
    const sum = new Uint8Array(n);
    for (const trait of traits) {
      points.get(trait.item)!.forEach((value, s) => (sum[s] = (sum[s] ?? 0) + value));
    }
    points.set(result.item, sum);
    const total = traits.reduce((s, trait) => s + totals.get(trait.item)!, 0);
    results[at] = { ...result, orgPct: divideHalfUp(100 * total, n * result.item.points) };
  }
  return { results, scores: { subject: form.subject, grade: form.grade, students, points } };
}

/**
 * The total points nearest the drawn percent whose rounded percent is closest to it; a planted
 * item keeps its percent inside the planted band.
 */
function chooseTotal(result: ItemResult, possible: number): number {
  const exact = (result.orgPct * possible) / 100;
  const candidates = [...new Set([Math.floor(exact), Math.ceil(exact)])].filter(
    (total) => total >= 0 && total <= possible,
  );
  const score = (total: number) => {
    const pct = divideHalfUp(100 * total, possible);
    const outside = result.band && (pct < result.band.min || pct > result.band.max) ? 1000 : 0;
    return outside + Math.abs(pct - result.orgPct) + Math.abs(total - exact) / (possible + 1);
  };
  return candidates.reduce((best, total) => (score(total) < score(best) ? total : best));
}

/**
 * Shares `total` points of an item worth `max` among students: each student has `max` chances,
 * and the `total` chances with the highest weighted random keys win (weighted sampling without
 * replacement, Efraimidis and Spirakis), so each student gets 0 to `max` points.
 */
function shareOut(
  total: number,
  max: number,
  weights: readonly number[],
  random: Random,
): Uint8Array {
  const keys: { student: number; key: number }[] = [];
  weights.forEach((weight, student) => {
    for (let chance = 0; chance < max; chance++) {
      // 1 - uniform() is in (0, 1]: its log is finite.
      keys.push({ student, key: Math.log(1 - random.uniform()) / weight });
    }
  });
  keys.sort((a, b) => b.key - a.key || a.student - b.student);
  const points = new Uint8Array(weights.length);
  for (const { student } of keys.slice(0, total)) points[student] = (points[student] ?? 0) + 1;
  return points;
}
