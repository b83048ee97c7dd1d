import type { OrgDefinition, Subject } from "./district.ts";
import { GROUP_BITS, GROUPS, STATE, SUBJECTS } from "./district.ts";
import type { Random } from "./random.ts";

/**
 * Simulated students of one organisation and year. Every profile number is counted from them, so
 * levels add up to the students included, groups are subsets of all students, and a school's
 * grades 3-8 row is the sum of its grade rows by construction. Arrays are typed because the state
 * has about 400,000 students a year.
 */
export interface Cohort {
  org: OrgDefinition;
  year: number;
  grade: Uint8Array;
  /** Group bits (see GROUPS). */
  groups: Uint8Array;
  /** Scaled score 440 to 560, or 0 for a student who missed the test. */
  scores: Record<Subject, Uint16Array>;
  /** Student growth percentile 1 to 99, or 0 for none (grade 3, absent, or no prior score). */
  sgps: Record<Subject, Uint8Array>;
}

/** The statewide mean scaled score of each year, subject and grade, before group effects. */
export type BaseMeans = Map<string, number>;

export const SCORE_MIN = 440;
export const SCORE_MAX = 560;
const RESIDUAL_SD = 21;
const SGP_SD = 27;
const SGP_COVERAGE = 0.93;
// Year-to-year change in enrolment: schools vary more than the state.
const SIZE_VARIATION = { school: 0.06, state: 0.015 };
// The profile files require 95 % participation or better of every reported group (see absences).
const MIN_PARTICIPATION = 0.95;

/** Mean score differences of group members, in scaled-score points, on top of one another. */
interface GroupEffects {
  el: number;
  swd: number;
  lowIncome: number;
  /** Black, Hispanic, White, any other. */
  race: readonly [number, number, number, number];
}

const GROUP_EFFECTS: Record<Subject, GroupEffects> = {
  ELA: { el: -24, swd: -18, lowIncome: -8, race: [-4, -5, 4, 5] },
  MATH: { el: -16, swd: -17, lowIncome: -9, race: [-5, -6, 4, 8] },
};
const GROWTH_EFFECTS = { el: -3, swd: -4 };

// Local copies of the group bits: tsx turns imported bindings into getters, which are slow in
// loops over the state's 400,000 students.
const BIT = { ...GROUP_BITS };
const GROUP_BIT_LIST = GROUPS.map((group) => group.bit);

/** Statewide means, drawn once per year, subject and grade so that every school shares them. */
export function drawBaseMeans(random: Random, years: readonly number[]): BaseMeans {
  const means: BaseMeans = new Map();
  for (const year of years) {
    for (const subject of SUBJECTS) {
      for (const grade of STATE.grades) {
        // 503 before group effects puts about 40 % of the state at meeting or above.
        means.set(baseKey(year, subject, grade), 503 + random.normal(0, 2));
      }
    }
  }
  return means;
}

function baseKey(year: number, subject: Subject, grade: number): string {
  return `${year}|${subject}|${grade}`;
}

export function simulateCohort(
  org: OrgDefinition,
  year: number,
  means: BaseMeans,
  random: Random,
): Cohort {
  const isState = org.code === STATE.code;

  // Enrolment per grade; schools stay within the 30 to 120 students a grade of real schools.
  const sizes = org.grades.map((grade) => {
    const variation = isState ? SIZE_VARIATION.state : SIZE_VARIATION.school;
    const size = Math.round(org.size * (1 + random.normal(0, variation)));
    return { grade, size: isState ? size : Math.min(120, Math.max(30, size)) };
  });
  const total = sizes.reduce((sum, { size }) => sum + size, 0);
  const grade = new Uint8Array(total);
  const groups = new Uint8Array(total);

  // Groups by quota within each grade, so that small schools still have every group.
  let start = 0;
  for (const { grade: g, size } of sizes) {
    grade.fill(g, start, start + size);
    assignGroups(groups.subarray(start, start + size), org, random);
    start += size;
  }
  if (org.elCount) {
    const [min, max] = org.elCount;
    addBit(groups, sample(total, random.int(min, max), random), BIT.el);
  }
  const needs = BIT.el | BIT.swd | BIT.low_income;
  groups.forEach((bits, i) => {
    if (bits & needs) groups[i] = bits | BIT.high_needs;
  });

  // Scores, absences and growth percentiles, subject by subject.
  const schoolShift = { ELA: random.normal(0, 1.5), MATH: random.normal(0, 1.5) };
  const scores = {} as Record<Subject, Uint16Array>;
  const sgps = {} as Record<Subject, Uint8Array>;
  for (const subject of SUBJECTS) {
    const absent = drawAbsences(grade, groups, org.absence, random);
    const score = new Uint16Array(total);
    const sgp = new Uint8Array(total);
    const effects = GROUP_EFFECTS[subject];
    const swdEffect = org.swdEffect?.[subject] ?? effects.swd;
    const shift = org.effect[subject] + schoolShift[subject];
    const gradeMeans = new Float64Array(13);
    for (const g of org.grades) gradeMeans[g] = (means.get(baseKey(year, subject, g)) ?? 0) + shift;
    for (let i = 0; i < total; i++) {
      if (absent[i]) continue;
      const bits = groups[i] ?? 0;
      const studentGrade = grade[i] ?? 0;
      let mean = gradeMeans[studentGrade] ?? 0;
      if (bits & BIT.el) mean += effects.el;
      if (bits & BIT.swd) mean += swdEffect;
      if (bits & BIT.low_income) mean += effects.lowIncome;
      mean += effects.race[raceIndex(bits)];
      score[i] = clamp(Math.round(random.normal(mean, RESIDUAL_SD)), SCORE_MIN, SCORE_MAX);

      // Grade 3 has no prior score, and a few students in later grades have none either.
      if (studentGrade >= 4 && random.chance(SGP_COVERAGE)) {
        let growth = 50 + org.growth;
        if (bits & BIT.el) growth += GROWTH_EFFECTS.el;
        if (bits & BIT.swd) growth += GROWTH_EFFECTS.swd;
        sgp[i] = clamp(Math.round(random.normal(growth, SGP_SD)), 1, 99);
      }
    }
    scores[subject] = score;
    sgps[subject] = sgp;
  }
  return { org, year, grade, groups, scores, sgps };
}

function assignGroups(groups: Uint8Array, org: OrgDefinition, random: Random): void {
  const size = groups.length;
  const quota = (share: number) => Math.round(share * size);
  addBit(groups, sample(size, quota(org.shares.swd), random), BIT.swd);
  addBit(groups, sample(size, quota(org.shares.lowIncome), random), BIT.low_income);
  addBit(groups, sample(size, quota(org.shares.el), random), BIT.el);

  // Race groups exclude one another: one shuffle, cut into consecutive runs.
  const order = sample(size, size, random);
  const runs = [
    [BIT.black, quota(org.shares.black)],
    [BIT.hispanic, quota(org.shares.hispanic)],
    [BIT.white, quota(org.shares.white)],
  ] as const;
  let at = 0;
  for (const [bit, count] of runs) {
    addBit(groups, order.subarray(at, at + count), bit);
    at += count;
  }
}

/**
 * Students who miss the test. An absence is kept only if every group the student counts in (all
 * students of the grade, of the school, and each subgroup) stays at 95 % participation or better,
 * which also keeps groups under 20 students complete. Returns a flag (1 = absent) per student.
 */
function drawAbsences(
  grade: Uint8Array,
  groups: Uint8Array,
  rate: number,
  random: Random,
): Uint8Array {
  const total = grade.length;
  const slots = new Uint8Array(SLOT_COUNT);
  const enrolled = new Uint32Array(SLOT_COUNT);
  for (let i = 0; i < total; i++) {
    const count = slotsOf(grade[i] ?? 0, groups[i] ?? 0, slots);
    for (const slot of slots.subarray(0, count)) enrolled[slot] = (enrolled[slot] ?? 0) + 1;
  }

  const target = Math.round(total * rate * (0.5 + random.uniform()));
  const absent = new Uint8Array(total);
  const missing = new Uint32Array(SLOT_COUNT);
  let absences = 0;
  for (let tries = 0; absences < target && tries < target * 20; tries++) {
    const i = random.int(0, total - 1);
    if (absent[i]) continue;
    const studentSlots = slots.subarray(0, slotsOf(grade[i] ?? 0, groups[i] ?? 0, slots));
    const allowed = studentSlots.every(
      (slot) => (missing[slot] ?? 0) + 1 <= (1 - MIN_PARTICIPATION) * (enrolled[slot] ?? 0),
    );
    if (!allowed) continue;
    absent[i] = 1;
    absences++;
    for (const slot of studentSlots) missing[slot] = (missing[slot] ?? 0) + 1;
  }
  return absent;
}

/**
 * The counting slots of a student, written into `out`: all students (0), each of its groups (1 to
 * 7, in GROUPS order) and its grade (8 + grade). Returns how many were written.
 */
export function slotsOf(grade: number, bits: number, out: Uint8Array): number {
  out[0] = 0;
  out[1] = gradeSlot(grade);
  let count = 2;
  let slot = 1;
  for (const bit of GROUP_BIT_LIST) {
    if (bits & bit) out[count++] = slot;
    slot++;
  }
  return count;
}

export function gradeSlot(grade: number): number {
  return 1 + GROUP_BIT_LIST.length + grade;
}

export const SLOT_COUNT = gradeSlot(12) + 1;

/** Which of Black, Hispanic, White or other a student is, as an index into the race effects. */
function raceIndex(bits: number): 0 | 1 | 2 | 3 {
  if (bits & BIT.black) return 0;
  if (bits & BIT.hispanic) return 1;
  if (bits & BIT.white) return 2;
  return 3;
}

function addBit(groups: Uint8Array, indices: Uint32Array, bit: number): void {
  for (const index of indices) groups[index] = (groups[index] ?? 0) | bit;
}

/** `count` distinct indices below `size`, in random order (a partial Fisher-Yates shuffle). */
function sample(size: number, count: number, random: Random): Uint32Array {
  const indices = new Uint32Array(size);
  for (let i = 0; i < size; i++) indices[i] = i;
  const n = Math.min(count, size);
  for (let i = 0; i < n; i++) {
    const j = random.int(i, size - 1);
    const swap = indices[i] ?? 0;
    indices[i] = indices[j] ?? 0;
    indices[j] = swap;
  }
  return indices.subarray(0, n);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
