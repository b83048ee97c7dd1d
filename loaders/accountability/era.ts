/**
 * Which accountability rules a year's results were judged by (../shared/domain.md sections 3
 * and 4), and the choice of other rules, for a team asking what its results would mean under the
 * current system.
 */

export type EraId = "ayp" | "ppi" | "transition2017" | "essa2018";
/** The eras that have rules of their own. */
export type RulesEra = Exclude<EraId, "transition2017">;

export interface Era {
  readonly id: EraId;
  readonly name: string;
  readonly first: number;
  /** The last year, or null for the current system. */
  readonly last: number | null;
  /** The group measure its rules need: legacy CPI, or the next-generation average scaled score. */
  readonly measure: "CPI" | "average scaled score" | null;
}

export const ERAS: readonly Era[] = [
  { id: "ayp", name: "NCLB Adequate Yearly Progress", first: 2003, last: 2011, measure: "CPI" },
  { id: "ppi", name: "Progress and Performance Index", first: 2012, last: 2016, measure: "CPI" },
  // 2017 is the PPI's goal year, but grades 3-8 took the next-generation test that spring: their
  // results have no CPI, so no PPI can be computed for them, and the 2018+ system, its targets
  // and its points had not begun. Grade 10 still took the legacy test and has a CPI. No rule set
  // fits the year as a whole, so none is applied unless the page asks for one (chooseRules).
  { id: "transition2017", name: "2017 transition", first: 2017, last: 2017, measure: null },
  {
    id: "essa2018",
    name: "2018+ system",
    first: 2018,
    last: null,
    measure: "average scaled score",
  },
];

/** The era a year's results belong to; null before 2003, when there were no AYP determinations. */
export function eraOfYear(year: number): Era | null {
  return ERAS.find((era) => year >= era.first && (era.last === null || year <= era.last)) ?? null;
}

export interface RulesChoice {
  readonly year: number;
  /** The rules to apply; null when there are none to apply without a choice. */
  readonly rules: RulesEra | null;
  /** The era the year belongs to. */
  readonly era: EraId | null;
  /** True when the rules are not the year's own. */
  readonly chosen: boolean;
  /** What the page should say about the choice; empty when there is nothing to say. */
  readonly note: string;
}

/**
 * The rules for a year: its own, or `requested` ("what would this mean under the current
 * system?"). Choosing rules that need a measure the year's results lack is allowed, and the note
 * says what the team must supply (a CPI for a next-generation year, a scaled score for a legacy
 * one).
 */
export function chooseRules(year: number, requested?: RulesEra): RulesChoice {
  const era = eraOfYear(year);
  if (!requested) {
    if (!era) {
      return {
        year,
        rules: null,
        era: null,
        chosen: false,
        note: `No AYP determinations in ${year}.`,
      };
    }
    if (era.id === "transition2017") {
      return {
        year,
        rules: null,
        era: era.id,
        chosen: false,
        note:
          "2017 had no rules of its own: choose the PPI for grade 10's legacy CPI, or the 2018+ " +
          "rules, with targets you supply, for grades 3-8.",
      };
    }
    return { year, rules: era.id as RulesEra, era: era.id, chosen: false, note: "" };
  }
  if (era?.id === requested) {
    return { year, rules: requested, era: era.id, chosen: false, note: "" };
  }

  const wanted = ERAS.find((candidate) => candidate.id === requested)!;
  const has = era?.measure;
  const mismatch =
    has && has !== wanted.measure
      ? ` They need the ${wanted.measure}, which ${year} results lack.`
      : "";
  return {
    year,
    rules: requested,
    era: era?.id ?? null,
    chosen: true,
    note:
      `${year} results read under the ${wanted.name} rules, as asked, ` +
      `not the rules of the time.${mismatch}`,
  };
}
