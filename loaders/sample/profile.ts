import type { GroupKey, OrgDefinition, Subject } from "./district.ts";
import { GROUPS, STATE, SUBJECTS } from "./district.ts";
import type { Cohort } from "./students.ts";
import { gradeSlot, SLOT_COUNT, slotsOf } from "./students.ts";

/**
 * Profile rows (one organisation, year, subject, grade and group) counted from simulated students,
 * with the numbers the state's profile files publish. Percents are not stored: they are computed
 * from the counts, half up, when a row is written.
 */
export interface ProfileRow {
  org: OrgDefinition;
  year: number;
  subject: Subject;
  /** A single grade, or null for the grades 3-8 aggregate. */
  grade: number | null;
  /** A subgroup, or null for all students. */
  group: GroupKey | null;
  levels: Record<Level, number>;
  /** No. of Students Included: the students who took the test. */
  n: number;
  /** Part. Rate %, a whole percent. */
  participation: number;
  /** Avg. Scaled Score in tenths (4903 is 490.3). */
  scoreTenths: number;
  /** Mean SGP in tenths, or null when fewer than 20 students have one (the state's rule). */
  sgpTenths: number | null;
  /** Included In SGP, or null when the row has no grade with growth percentiles (grade 3). */
  sgpIncluded: number | null;
  /** Ach. PCTL for schools, null for the state. */
  percentile: number | null;
}

export const LEVELS = ["E", "M", "PM", "NM"] as const;
export type Level = (typeof LEVELS)[number];

const MIN_SGP_STUDENTS = 20;

/** a / b rounded half up, on whole numbers so that no binary fraction can tip the rounding. */
export function divideHalfUp(numerator: number, denominator: number): number {
  if (!Number.isInteger(numerator) || !Number.isInteger(denominator) || denominator <= 0) {
    throw new RangeError(
      `divideHalfUp needs whole numbers and a positive divisor: ${numerator}/${denominator}`,
    );
  }
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/** A count as a whole percent of n, as the profile files round it. */
export function percentOf(count: number, n: number): number {
  return divideHalfUp(100 * count, n);
}

/** Running counts for every slot of a cohort (see slotsOf), in flat arrays for speed. */
class Tallies {
  readonly enrolled = new Uint32Array(SLOT_COUNT);
  readonly levels = new Uint32Array(SLOT_COUNT * LEVELS.length);
  readonly scoreSum = new Float64Array(SLOT_COUNT);
  readonly growthGrades = new Uint8Array(SLOT_COUNT);
  readonly sgpCount = new Uint32Array(SLOT_COUNT);
  readonly sgpSum = new Float64Array(SLOT_COUNT);

  /** Counts a student in a slot; `level` is an index in LEVELS, or -1 for a student not tested. */
  add(slot: number, growthGrade: boolean, level: number, score: number, sgp: number): void {
    this.enrolled[slot] = (this.enrolled[slot] ?? 0) + 1;
    if (growthGrade) this.growthGrades[slot] = 1;
    if (level < 0) return;
    const at = slot * LEVELS.length + level;
    this.levels[at] = (this.levels[at] ?? 0) + 1;
    this.scoreSum[slot] = (this.scoreSum[slot] ?? 0) + score;
    if (sgp > 0) {
      this.sgpCount[slot] = (this.sgpCount[slot] ?? 0) + 1;
      this.sgpSum[slot] = (this.sgpSum[slot] ?? 0) + sgp;
    }
  }
}

/** A cohort's rows: grades 3-8 for all students and each group, and each grade's all students. */
export function countCohort(cohort: Cohort): ProfileRow[] {
  const rows: ProfileRow[] = [];
  const { grade, groups } = cohort;
  const slots = new Uint8Array(SLOT_COUNT);
  // A local reference: tsx turns imported bindings into getters, slow in a per-student loop.
  const slotsOfStudent = slotsOf;
  for (const subject of SUBJECTS) {
    const tallies = new Tallies();
    const scores = cohort.scores[subject];
    const sgps = cohort.sgps[subject];
    for (let i = 0; i < grade.length; i++) {
      const studentGrade = grade[i] ?? 0;
      const score = scores[i] ?? 0;
      const level = score === 0 ? -1 : levelIndex(score);
      const count = slotsOfStudent(studentGrade, groups[i] ?? 0, slots);
      for (const slot of slots.subarray(0, count)) {
        tallies.add(slot, studentGrade >= 4, level, score, sgps[i] ?? 0);
      }
    }

    const toRow = (slot: number, rowGrade: number | null, group: GroupKey | null): ProfileRow => {
      const at = slot * LEVELS.length;
      const levels = { E: 0, M: 0, PM: 0, NM: 0 };
      LEVELS.forEach((level, index) => (levels[level] = tallies.levels[at + index] ?? 0));
      const n = LEVELS.reduce((sum, level) => sum + levels[level], 0);
      const sgpCount = tallies.sgpCount[slot] ?? 0;
      const sgpSum = tallies.sgpSum[slot] ?? 0;
      return {
        org: cohort.org,
        year: cohort.year,
        subject,
        grade: rowGrade,
        group,
        levels,
        n,
        participation: percentOf(n, tallies.enrolled[slot] ?? 0),
        scoreTenths: divideHalfUp(10 * (tallies.scoreSum[slot] ?? 0), n),
        sgpTenths: sgpCount >= MIN_SGP_STUDENTS ? divideHalfUp(10 * sgpSum, sgpCount) : null,
        sgpIncluded: tallies.growthGrades[slot] ? sgpCount : null,
        percentile: null,
      };
    };
    rows.push(toRow(0, null, null));
    GROUPS.forEach(({ key }, k) => {
      if ((tallies.enrolled[1 + k] ?? 0) > 0) rows.push(toRow(1 + k, null, key));
    });
    for (const g of cohort.org.grades) rows.push(toRow(gradeSlot(g), g, null));
  }
  return rows;
}

/** The index in LEVELS of a scaled score's level: E from 530, M from 500, PM from 470. */
function levelIndex(score: number): number {
  return score >= 530 ? 0 : score >= 500 ? 1 : score >= 470 ? 2 : 3;
}

/**
 * Sets each school row's achievement percentile from how far its average scaled score is from the
 * state's for the same year, subject, grade and group: a stand-in for the state's ranking of all
 * schools, which a one-district sample cannot compute.
 */
export function setPercentiles(rows: ProfileRow[]): void {
  const key = (row: ProfileRow) => [row.year, row.subject, row.grade, row.group].join("|");
  const state = new Map(rows.filter((row) => row.org.code === STATE.code).map((r) => [key(r), r]));
  for (const row of rows) {
    if (row.org.code === STATE.code) continue;
    const reference = state.get(key(row));
    if (!reference) throw new Error(`no state row for ${key(row)}`);
    const points = (row.scoreTenths - reference.scoreTenths) / 10;
    row.percentile = Math.min(99, Math.max(1, Math.round(50 + 2.5 * points)));
  }
}
