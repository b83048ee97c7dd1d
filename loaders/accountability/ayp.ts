import { roundHalfUp } from "../rounding.ts";
import { DEFAULT_SETTINGS, type AypSettings } from "../settings-defaults.ts";
import { difference, notComputable, type NotComputable } from "./result.ts";

/**
 * NCLB Adequate Yearly Progress in Massachusetts, 2003-2011 (../shared/domain.md section 3). A
 * group makes AYP in a subject when (A) at least 95% of it was tested, and (B) its CPI reached the
 * state target, or (C) it met its own improvement target, or it met safe harbor, and (D) it met
 * the additional indicator. Every decision carries the inputs of each test, for the page.
 */

export type AypSubject = "ELA" | "MATH";
export type AypGroupKind = "aggregate" | "subgroup";
export type Confirmation = "confirmed" | "unconfirmed";

/** The first and last years of AYP determinations. */
export const AYP_YEARS = { first: 2003, last: 2011 } as const;

/** (A) Participation, in percent of enrolled students. */
export const AYP_PARTICIPATION = 95;

/**
 * State CPI targets. 2008-2011 were read on AYP reports; 2002-2007 are recalled, but the
 * confirmed years fit start + k × (100 − start) / 6 exactly, each step held two years, and these
 * are the same fit's earlier steps (section 3.2).
 */
const STATE_TARGETS: Readonly<Record<number, readonly [number, number, Confirmation]>> = {
  2002: [70.7, 53.0, "unconfirmed"],
  2003: [75.6, 60.8, "unconfirmed"],
  2004: [75.6, 60.8, "unconfirmed"],
  2005: [80.5, 68.7, "unconfirmed"],
  2006: [80.5, 68.7, "unconfirmed"],
  2007: [85.4, 76.5, "unconfirmed"],
  2008: [85.4, 76.5, "confirmed"],
  2009: [90.2, 84.3, "confirmed"],
  2010: [90.2, 84.3, "confirmed"],
  2011: [95.1, 92.2, "confirmed"],
};

export interface StateTarget {
  readonly target: number;
  readonly status: Confirmation;
}

/** The state's CPI target for a year (2002 is the starting point, before any determination). */
export function stateTarget(year: number, subject: AypSubject): StateTarget {
  const row = STATE_TARGETS[year];
  if (!row) throw new RangeError(`ayp: no state target for ${year}; AYP ran from 2003 to 2011`);
  return { target: subject === "ELA" ? row[0] : row[1], status: row[2] };
}

/** The step of the state's path to 100 in 2014 that a year is on: 1 in 2003-04, 5 in 2011-12. */
export function targetStep(year: number): number {
  return Math.floor((year - 2003) / 2) + 1;
}

/** Step k of the fitted path from a start CPI: start + k × (100 − start) / 6, one decimal. */
export function fittedTarget(start: number, step: number): number {
  return roundHalfUp(start + (step * (100 - start)) / 6, 1);
}

export interface MinimumN {
  readonly minimumN: number;
  readonly status: Confirmation;
}

/**
 * Fewest students for a determination. The 2003 glossary gives 20 for any group; later years
 * use the settings, because the year subgroups moved to 40 is not known (section 3.3).
 */
export function aypMinimumN(
  kind: AypGroupKind,
  year: number,
  settings: AypSettings = DEFAULT_SETTINGS.ayp,
): MinimumN {
  if (year <= AYP_YEARS.first) return { minimumN: 20, status: "confirmed" };
  const minimumN = kind === "aggregate" ? settings.aggregateMinN : settings.subgroupMinN;
  return { minimumN, status: "unconfirmed" };
}

/** The share of non-proficient students that meets safe harbor: 10% fewer than last year's. */
export function safeHarborCeiling(priorNonProficientPct: number): number {
  return difference(priorNonProficientPct * 0.9, 0);
}

/**
 * How a group's improvement target and error band are found. Massachusetts' formulas were not
 * found (section 3.1), so they are a policy that a caller can replace.
 */
export interface AypPolicy {
  /** The CPI a group must reach to meet its improvement target. */
  improvementTarget(year: number, baselineCpi: number): number;
  /** How far under its improvement target a group may be and still meet it ("Yes/EB"). */
  errorBand(group: AypGroupResult): number;
}

/**
 * The default policy: the group closes its own gap to 100 in the steps left to 2014, counting
 * this year's (6 in 2003, 2 in 2011), as the state target closes the state's; the error band is
 * the setting, 2.5 CPI points, the ceiling the 2003 glossary gives for error bands.
 */
export function defaultAypPolicy(settings: AypSettings = DEFAULT_SETTINGS.ayp): AypPolicy {
  return {
    improvementTarget(year, baselineCpi) {
      const stepsRemaining = 7 - targetStep(year);
      return roundHalfUp(baselineCpi + (100 - baselineCpi) / stepsRemaining, 1);
    },
    errorBand: () => settings.errorBand,
  };
}

/** One group's results in one subject and year, as the decision needs them. */
export interface AypGroupResult {
  year: number;
  subject: AypSubject;
  kind: AypGroupKind;
  /** Students in the group, counting only those enrolled since October 1. */
  students: number;
  /** Percent of the group's enrolled students who were tested. */
  participation: number;
  cpi: number;
  /** The CPI the group's improvement is measured from; null when unknown. */
  baselineCpi: number | null;
  /** Percent of the group below Proficient, this year and the year before; null when unknown. */
  nonProficientPct: number | null;
  priorNonProficientPct: number | null;
  /**
   * (D) Attendance ≥ 92% or a 1-point gain (grades 1-8), or the graduation-rate target (9-12),
   * as the caller judged it; null when unknown.
   */
  additionalIndicatorMet: boolean | null;
}

export type AypLabel = "Yes" | "Yes/EB" | "Yes/SH" | "No";
export type AypTest =
  "state target" | "improvement target" | "improvement target within error band" | "safe harbor";

/** The reports' marker of a group that made AYP by each test. */
const LABELS: Readonly<Record<AypTest, AypLabel>> = {
  "state target": "Yes",
  "improvement target": "Yes",
  "improvement target within error band": "Yes/EB",
  "safe harbor": "Yes/SH",
};

export interface AypDecision {
  readonly computable: true;
  readonly madeAyp: boolean;
  readonly label: AypLabel;
  /** The first performance test met, in the rule's order; null when none was. */
  readonly metBy: AypTest | null;
  readonly participation: { actual: number; required: number; met: boolean };
  readonly stateTarget: { target: number; status: Confirmation; actual: number; met: boolean };
  /** Null when the group's baseline is unknown. */
  readonly improvement: {
    baseline: number;
    target: number;
    errorBand: number;
    actual: number;
    met: boolean;
    withinErrorBand: boolean;
  } | null;
  /** Null when either year's non-proficient share is unknown. */
  readonly safeHarbor: { prior: number; ceiling: number; actual: number; met: boolean } | null;
  readonly additionalIndicator: { met: boolean | null };
}

export interface AypTooFew extends NotComputable {
  readonly students: number;
  readonly minimumN: number;
}

/**
 * Whether a group made AYP, with the target, actual value and outcome of every test. A decision
 * that hangs on an unknown input is not made up: the result names what is missing.
 */
export function decideAyp(
  group: AypGroupResult,
  settings: AypSettings = DEFAULT_SETTINGS.ayp,
  policy: AypPolicy = defaultAypPolicy(settings),
): AypDecision | AypTooFew | NotComputable {
  if (group.year < AYP_YEARS.first || group.year > AYP_YEARS.last) {
    throw new RangeError(`ayp: no AYP determinations in ${group.year}, only 2003 to 2011`);
  }
  const { minimumN } = aypMinimumN(group.kind, group.year, settings);
  if (group.students < minimumN) {
    return {
      ...notComputable(
        `no determination: ${group.students} students, fewer than the ${minimumN} ` +
          `a${group.kind === "aggregate" ? "n aggregate" : " subgroup"} needs`,
      ),
      students: group.students,
      minimumN,
    };
  }

  const participation = {
    actual: group.participation,
    required: AYP_PARTICIPATION,
    met: group.participation >= AYP_PARTICIPATION,
  };
  const state = stateTarget(group.year, group.subject);
  const stateTest = { ...state, actual: group.cpi, met: group.cpi >= state.target };

  let improvement: AypDecision["improvement"] = null;
  if (group.baselineCpi !== null) {
    const target = policy.improvementTarget(group.year, group.baselineCpi);
    const errorBand = policy.errorBand(group);
    const short = difference(target, group.cpi);
    improvement = {
      baseline: group.baselineCpi,
      target,
      errorBand,
      actual: group.cpi,
      met: short <= 0,
      withinErrorBand: short > 0 && short <= errorBand,
    };
  }

  let safeHarbor: AypDecision["safeHarbor"] = null;
  if (group.nonProficientPct !== null && group.priorNonProficientPct !== null) {
    const ceiling = safeHarborCeiling(group.priorNonProficientPct);
    safeHarbor = {
      prior: group.priorNonProficientPct,
      ceiling,
      actual: group.nonProficientPct,
      met: group.nonProficientPct <= ceiling,
    };
  }

  // The rule's order decides which test is named when several are met: SH and EB mark, on the
  // reports, a group that met no other test.
  const outcomes: [AypTest, boolean | undefined][] = [
    ["state target", stateTest.met],
    ["improvement target", improvement?.met],
    ["improvement target within error band", improvement?.withinErrorBand],
    ["safe harbor", safeHarbor?.met],
  ];
  const metBy = outcomes.find(([, met]) => met)?.[0] ?? null;

  const missing: string[] = [];
  if (metBy === null && improvement === null) missing.push("the group's baseline CPI");
  if (metBy === null && safeHarbor === null) {
    missing.push("both years' percent non-proficient (for safe harbor)");
  }
  const performanceFailed = metBy === null && missing.length === 0;
  const failed = !participation.met || performanceFailed || group.additionalIndicatorMet === false;
  if (!failed) {
    if (group.additionalIndicatorMet === null) missing.push("the additional indicator");
    if (missing.length > 0) return notComputable(`not computable without ${missing.join(", ")}`);
  }

  const label: AypLabel = failed || metBy === null ? "No" : LABELS[metBy];
  return {
    computable: true,
    madeAyp: !failed,
    label,
    metBy,
    participation,
    stateTarget: stateTest,
    improvement,
    safeHarbor,
    additionalIndicator: { met: group.additionalIndicatorMet },
  };
}

/** Status labels by the number of steps into a status; later years are extrapolated. */
const STATUS_LABELS = [
  "No Status",
  "Improvement Year 1",
  "Improvement Year 2",
  "Corrective Action",
  "Restructuring Year 1",
] as const;

/** A school's determinations in one subject for one year: null where there was none. */
export interface AypYear {
  year: number;
  /** Whether the aggregate made AYP. */
  aggregate: boolean | null;
  /** Whether every subgroup with a determination made AYP. */
  subgroups: boolean | null;
}

export interface AypStatus {
  readonly year: number;
  readonly label: string;
  /** Steps into a status: 0 for No Status, 1 for Improvement Year 1 ... */
  readonly level: number;
  /** True when only subgroups' misses put the school in its status ("– Subgroups"). */
  readonly subgroupsOnly: boolean;
  /** False for labels past Restructuring Year 1, which no report read showed. */
  readonly labelConfirmed: boolean;
}

/**
 * The status after each year's determinations, in one subject (ELA and math are tracked apart).
 * Two years in a row missing AYP start a status and each further miss moves it one step; a year
 * of making AYP holds it, and `statusExitYears` in a row end it. A year without a determination
 * changes nothing: it neither breaks nor extends a run.
 */
export function aypStatuses(
  history: readonly AypYear[],
  settings: AypSettings = DEFAULT_SETTINGS.ayp,
): AypStatus[] {
  const statuses: AypStatus[] = [];
  let level = 0;
  let missedRun = 0;
  let madeRun = 0;
  // Whether the aggregate missed in a year that counted toward the run, or toward the status.
  let runAggregateMissed = false;
  let statusAggregateMissed = false;

  history.forEach((entry, index) => {
    const previous = history[index - 1];
    if (previous && entry.year !== previous.year + 1) {
      throw new RangeError(
        `ayp: years must follow one another, not ${previous.year}, ${entry.year}`,
      );
    }
    const missed = entry.aggregate === false || entry.subgroups === false;
    const made = !missed && (entry.aggregate === true || entry.subgroups === true);
    if (missed) {
      madeRun = 0;
      if (level === 0) {
        missedRun += 1;
        runAggregateMissed ||= entry.aggregate === false;
        if (missedRun >= 2) {
          level = 1;
          statusAggregateMissed = runAggregateMissed;
        }
      } else {
        level += 1;
        statusAggregateMissed ||= entry.aggregate === false;
      }
    } else if (made) {
      missedRun = 0;
      runAggregateMissed = false;
      if (level > 0) {
        madeRun += 1;
        if (madeRun >= settings.statusExitYears) {
          level = 0;
          madeRun = 0;
          statusAggregateMissed = false;
        }
      }
    }
    const base = STATUS_LABELS[level] ?? `Restructuring Year ${level - 3}`;
    const subgroupsOnly = level > 0 && !statusAggregateMissed;
    statuses.push({
      year: entry.year,
      label: subgroupsOnly ? `${base} – Subgroups` : base,
      level,
      subgroupsOnly,
      labelConfirmed: level < STATUS_LABELS.length,
    });
  });
  return statuses;
}
