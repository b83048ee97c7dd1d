// What the settings are and their defaults, apart from the code that reads a settings file: the
// accountability rules import these and are bundled for the browser too, where no file is read.

/**
 * Rules that ../shared/domain.md marks unconfirmed or conventional are settings, never constants
 * buried in code. The defaults are documented in the README; a JSON file named by --settings or
 * PIM_SETTINGS overrides any of them.
 */
export interface Settings {
  /** Groups with fewer students than this get no published figure (domain.md section 6). */
  minGroupSize: number;
  /** An item is flagged when the school is this many points or more below the state (section 5). */
  itemFlagPoints: number;
  /**
   * An item is also flagged when the school's percent is below this share of the state's (0.9:
   * used by one Massachusetts school, domain.md section 5; a convention, not a state rule).
   */
  itemFlagRatio: number;
  /**
   * A gap is shown as clear when it is at least this many standard errors from zero for the
   * group's size (SE from the reference percent, domain.md section 5); else as uncertain.
   */
  significanceZ: number;
  /**
   * Codes of closed or merged schools mapped to the code their results belong under, applied to
   * every file as it loads: {"01234567": "01234568"}.
   */
  orgCrosswalk: Readonly<Record<string, string>>;
  /** The unconfirmed rules of NCLB AYP, 2003-2011 (section 3). */
  ayp: Readonly<AypSettings>;
  /** The unconfirmed rules of the Progress and Performance Index, 2012-2017 (section 4.1). */
  ppi: Readonly<PpiSettings>;
  /** The unconfirmed rules of the 2018+ accountability system (section 4.2). */
  essa: Readonly<EssaSettings>;
}

export interface AypSettings {
  /** Fewest students for a school's aggregate determination after 2003 (20 in 2003). */
  aggregateMinN: number;
  /** Fewest students for a subgroup determination after 2003: a 2011 source gives 40. */
  subgroupMinN: number;
  /** CPI points below its improvement target at which a group still meets it ("Yes/EB"). */
  errorBand: number;
  /** Consecutive years of making AYP that end an improvement status (the usual NCLB rule). */
  statusExitYears: number;
}

export interface PpiSettings {
  /** CPI points either side of a target that rate On Target; inferred from reports as 1.25. */
  onTargetBand: number;
  /** Below target, a yearly CPI change within this many points rates No Change. */
  noChangeBand: number;
  /** Whether the extra credit's "10%" is a relative change or 10 percentage points. */
  extraCredit: "relative" | "points";
}

export interface EssaSettings {
  /** Below target, an average scaled score change within this band is No Change. */
  noChangeBandScaledScore: number;
  /** Below target, a science CPI change within this band is No Change. */
  noChangeBandCpi: number;
  /** Points for a group below target whose result did not change. */
  noChangePoints: number;
  /** Points for a group below target whose result declined. */
  declinedPoints: number;
  /** Mean SGP from which growth earns 1 point; below it, 0 (40 and up is confirmed). */
  growthOnePointFrom: number;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  minGroupSize: 10,
  itemFlagPoints: 10,
  itemFlagRatio: 0.9,
  significanceZ: 1.96,
  orgCrosswalk: Object.freeze({}),
  ayp: Object.freeze({ aggregateMinN: 20, subgroupMinN: 40, errorBand: 2.5, statusExitYears: 2 }),
  ppi: Object.freeze({
    onTargetBand: 1.25,
    noChangeBand: 1.25,
    extraCredit: "relative" as const,
  }),
  essa: Object.freeze({
    noChangeBandScaledScore: 0.5,
    noChangeBandCpi: 1.25,
    noChangePoints: 1,
    declinedPoints: 0,
    growthOnePointFrom: 30,
  }),
});
