import { DEFAULT_SETTINGS } from "../settings-defaults.ts";

/**
 * Every accountability rule pim applies, with how sure we are of it and where it comes from, so
 * that the README and the step 1 page can show a team which figures rest on a setting.
 */

export type RuleStatus = "confirmed" | "setting" | "derived";
export type RuleEra = "CPI" | "AYP" | "PPI" | "2017" | "2018+";

export interface Rule {
  readonly id: string;
  readonly era: RuleEra;
  readonly description: string;
  /**
   * confirmed: read in a source; derived: computed from confirmed numbers or fitted to them;
   * setting: unconfirmed, so a setting (or a replaceable policy) with a documented default.
   */
  readonly status: RuleStatus;
  /** The setting's dotted key; a policy's name, with its default described, for a policy. */
  readonly setting?: { readonly key: string; readonly policyDefault?: string };
  /** The section of ../shared/domain.md. */
  readonly section: string;
  readonly source: string;
}

export const RULES: readonly Rule[] = [
  {
    id: "cpi.points",
    era: "CPI",
    status: "confirmed",
    section: "2",
    description: "Points: P+A 100; NI 75 (230-238) or 50; W/F 25 (210-218) or 0; MCAS-Alt alike",
    source: 'MURSD 2012 deck; "NCLB Targets for MHS"',
  },
  {
    id: "cpi.formula",
    era: "CPI",
    status: "confirmed",
    section: "2",
    description: "CPI = Σ(points × students) / students; none from 4 levels without the splits",
    source: "lsrhs.net CPI page; MURSD deck",
  },
  {
    id: "cpi.rating2004",
    era: "CPI",
    status: "confirmed",
    section: "2",
    description:
      "Very High ≥ 90, High ≥ 80, Moderate ≥ 70, Low ≥ 60, Very Low ≥ 40, else Critically Low",
    source: "profiles ayp2004 glossary",
  },
  {
    id: "rounding.halfUp",
    era: "CPI",
    status: "derived",
    section: "4.1",
    description: "Targets and indices round half up on exact values (84.05 prints 84.1)",
    source: "Plymouth PPI reports 2012-14",
  },
  {
    id: "ayp.decision",
    era: "AYP",
    status: "confirmed",
    section: "3.1",
    description:
      "Participation ≥ 95, and state or improvement target or safe harbor, and add. indicator",
    source: "AYP reports 2008-2011",
  },
  {
    id: "ayp.stateTargets",
    era: "AYP",
    status: "confirmed",
    section: "3.2",
    description:
      "State CPI targets (ELA / math) 2008 85.4 / 76.5, 2009-10 90.2 / 84.3, 2011 95.1 / 92.2",
    source: "AYP reports 2008-2011",
  },
  {
    id: "ayp.stateTargetsEarly",
    era: "AYP",
    status: "derived",
    section: "3.2",
    description: "2002-2007: start + k × (100 − start) / 6, each step held two years",
    source: "recalled; the fit is exact on 2008-11",
  },
  {
    id: "ayp.safeHarbor",
    era: "AYP",
    status: "confirmed",
    section: "3.1",
    description: "Safe harbor (Yes/SH): % non-proficient ≤ 90% of last year's (40% → 36.0%)",
    source: "AYP glossary 2008; NCLB §1111(b)(2)(I)",
  },
  {
    id: "ayp.additionalIndicator",
    era: "AYP",
    status: "confirmed",
    section: "3.1",
    description: "Additional indicator (attendance or graduation): an input, judged by the caller",
    source: "AMAO 2005 page; 2008 AYP report",
  },
  {
    id: "ayp.improvementTarget",
    era: "AYP",
    status: "setting",
    section: "3.1",
    description: "Improvement target: the CPI a group must reach (formula not found)",
    source: "none; a plausible fit",
    setting: {
      key: "AypPolicy.improvementTarget",
      policyDefault: "baseline + (100 − baseline) / steps left to 2014",
    },
  },
  {
    id: "ayp.errorBand",
    era: "AYP",
    status: "setting",
    section: "3.1",
    description: "Error band (Yes/EB): CPI points under the improvement target that still meet it",
    source: "2003 glossary: bands over 2.5 unlikely",
    setting: { key: "ayp.errorBand" },
  },
  {
    id: "ayp.minN2003",
    era: "AYP",
    status: "confirmed",
    section: "3.3",
    description: "2003: a determination needs 20 students, aggregate or subgroup",
    source: "AYP glossary 2003",
  },
  {
    id: "ayp.aggregateMinN",
    era: "AYP",
    status: "setting",
    section: "3.3",
    description: "After 2003: students an aggregate determination needs",
    source: "2003 glossary; later years unread",
    setting: { key: "ayp.aggregateMinN" },
  },
  {
    id: "ayp.subgroupMinN",
    era: "AYP",
    status: "setting",
    section: "3.3",
    description: "After 2003: students a subgroup determination needs (year of change unknown)",
    source: "principal's blog, 2011",
    setting: { key: "ayp.subgroupMinN" },
  },
  {
    id: "ayp.status",
    era: "AYP",
    status: "confirmed",
    section: "3.4",
    description:
      "Two misses in a row: Improvement Year 1, 2, Corrective Action, Restructuring Year 1",
    source: "AYP report text",
  },
  {
    id: "ayp.statusLater",
    era: "AYP",
    status: "derived",
    section: "3.4",
    description: "Further misses: Restructuring Year 2, 3 ... (marked unconfirmed)",
    source: "extrapolated from the labels read",
  },
  {
    id: "ayp.statusExit",
    era: "AYP",
    status: "setting",
    section: "3.4",
    description: "Years in a row making AYP that end a status; one such year holds it",
    source: "the usual NCLB rule",
    setting: { key: "ayp.statusExitYears" },
  },
  {
    id: "ppi.targets",
    era: "PPI",
    status: "derived",
    section: "4.1",
    description: "goal = b + (100 − b) / 2; target = b + (year − 2011) × ((100 − b) / 2) / 6",
    source: "Plymouth reports 2012-14",
  },
  {
    id: "ppi.points",
    era: "PPI",
    status: "confirmed",
    section: "4.1",
    description: "Above Target 100, On Target 75, Improved Below 50, No Change 25, Declined 0",
    source: 'prezi "Accountability levels and PPI"',
  },
  {
    id: "ppi.onTargetBand",
    era: "PPI",
    status: "setting",
    section: "4.1",
    description: "CPI points either side of the target rated On Target",
    source: "inferred from reports",
    setting: { key: "ppi.onTargetBand" },
  },
  {
    id: "ppi.noChangeBand",
    era: "PPI",
    status: "setting",
    section: "4.1",
    description: "Below target: a CPI change within it is No Change, above it Improved Below",
    source: "none; mirrors the on-target band",
    setting: { key: "ppi.noChangeBand" },
  },
  {
    id: "ppi.extraCredit",
    era: "PPI",
    status: "setting",
    section: "4.1",
    description: "Extra credit +25: % W/F down or % Advanced up by 10%, relative or in points",
    source: "PPI reports; relative unconfirmed",
    setting: { key: "ppi.extraCredit" },
  },
  {
    id: "ppi.annual",
    era: "PPI",
    status: "confirmed",
    section: "4.1",
    description:
      "Annual = (points + extra credit) / indicators without extra credit (625 / 5 = 125)",
    source: "profiles PPI reports",
  },
  {
    id: "ppi.cumulative",
    era: "PPI",
    status: "confirmed",
    section: "4.1",
    description: "Cumulative = (y1 + 2·y2 + 3·y3 + 4·y4) / 10",
    source: "2013-14 PPI reports",
  },
  {
    id: "ppi.cumulativeFewerYears",
    era: "PPI",
    status: "derived",
    section: "4.1",
    description: "Fewer years: weights 1, 2, ... over the years there are, over their sum",
    source: "generalised from the 4-year formula",
  },
  {
    id: "ppi.minN",
    era: "PPI",
    status: "confirmed",
    section: "4.1",
    description: "A PPI needs 20 (school) or 30 (subgroup) tested in ELA and math",
    source: "profiles PPI subgroup pages",
  },
  {
    id: "ppi.level",
    era: "PPI",
    status: "confirmed",
    section: "4.1",
    description: "Level 1: both all and high needs ≥ 75; participation 90-94 Level 2, < 90 Level 3",
    source: "profiles help, section=acct",
  },
  {
    id: "era.2017",
    era: "2017",
    status: "derived",
    section: "4",
    description: "Grades 3-8 next-gen (no CPI, no targets), grade 10 legacy: rules only if chosen",
    source: "sections 4.1-4.2",
  },
  {
    id: "essa.achievement",
    era: "2018+",
    status: "confirmed",
    section: "4.2",
    description: "Avg scaled score: 4 > target + 0.5 or 90th pct; 3 within ±0.5; 2 improved below",
    source: "2019 points criteria (info.5y1.org)",
  },
  {
    id: "essa.science",
    era: "2018+",
    status: "confirmed",
    section: "4.2",
    description: "Science CPI: the same with ±1.25, and 4 points at 97.5 or above",
    source: "2019 points criteria",
  },
  {
    id: "essa.noChangePoints",
    era: "2018+",
    status: "setting",
    section: "4.2",
    description: "Points for no change below target",
    source: "unconfirmed",
    setting: { key: "essa.noChangePoints" },
  },
  {
    id: "essa.declinedPoints",
    era: "2018+",
    status: "setting",
    section: "4.2",
    description: "Points for a decline below target",
    source: "unconfirmed",
    setting: { key: "essa.declinedPoints" },
  },
  {
    id: "essa.noChangeBandScaledScore",
    era: "2018+",
    status: "setting",
    section: "4.2",
    description: "Below target: a scaled score change within it is no change",
    source: "none; mirrors ±0.5",
    setting: { key: "essa.noChangeBandScaledScore" },
  },
  {
    id: "essa.noChangeBandCpi",
    era: "2018+",
    status: "setting",
    section: "4.2",
    description: "Below target: a science CPI change within it is no change",
    source: "none; mirrors ±1.25",
    setting: { key: "essa.noChangeBandCpi" },
  },
  {
    id: "essa.growth",
    era: "2018+",
    status: "confirmed",
    section: "4.2",
    description: "Mean SGP ≥ 60 4 points, 50-59.9 3, 40-49.9 2",
    source: "2019 points criteria",
  },
  {
    id: "essa.growthOnePoint",
    era: "2018+",
    status: "setting",
    section: "4.2",
    description: "Mean SGP from which growth earns 1 point; below it 0",
    source: "unconfirmed; 10-point steps",
    setting: { key: "essa.growthOnePointFrom" },
  },
  {
    id: "essa.weights",
    era: "2018+",
    status: "confirmed",
    section: "4.2",
    description: "Weights: non-HS 60/20/10/10, lowest performing 67.5/22.5/10, HS 40/20/20/10/10",
    source: "2019 reports",
  },
  {
    id: "essa.groupPercentage",
    era: "2018+",
    status: "confirmed",
    section: "4.2",
    description: "Group % = Σ(earned × w) / Σ(possible × w), not a mean of ratios (98%)",
    source: "2019 reports",
  },
  {
    id: "essa.annual",
    era: "2018+",
    status: "derived",
    section: "4.2",
    description: "Annual = mean(all, lowest performing) per span; spans weighted (49%)",
    source: "verified on Revere 2019",
  },
  {
    id: "essa.cumulative",
    era: "2018+",
    status: "confirmed",
    section: "4.2",
    description: "Cumulative = 0.4 × prior + 0.6 × current; ≥ 75% meets targets",
    source: "2019 reports",
  },
  {
    id: "essa.targets",
    era: "2018+",
    status: "confirmed",
    section: "4.2",
    description: "Targets are the state's, in no input file: an input, or nothing is computed",
    source: "target-setting unread (Leader's Guide contents only)",
  },
];

/** The default of a setting, by its dotted key, as JSON; the policy's description for a policy. */
export function settingDefault(setting: NonNullable<Rule["setting"]>): string {
  if (setting.policyDefault) return setting.policyDefault;
  let value: unknown = DEFAULT_SETTINGS;
  for (const part of setting.key.split(".")) {
    value = (value as Record<string, unknown> | undefined)?.[part];
  }
  if (value === undefined) throw new Error(`rules: no setting ${setting.key}`);
  return JSON.stringify(value);
}

/** The registry as a Markdown table, for the README. */
export function renderRulesTable(rules: readonly Rule[] = RULES): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  const lines = [
    "| Rule | Era | Status | Setting (default) | domain.md | Source |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const rule of rules) {
    const setting = rule.setting ? `\`${rule.setting.key}\` (${settingDefault(rule.setting)})` : "";
    const row = [rule.description, rule.era, rule.status, setting, `§${rule.section}`, rule.source];
    lines.push(`| ${row.map(cell).join(" | ")} |`);
  }
  return `${lines.join("\n")}\n`;
}
