/**
 * The fictional world of the sample: one Massachusetts district, its schools, the state around it,
 * the groups and years it reports, and the facts planted in it for the product to find. No name or
 * code here belongs to a real organisation: the code prefix 0970 is unused in the state's 2022
 * school files.
 */

export type Subject = "ELA" | "MATH";
export const SUBJECTS: readonly Subject[] = ["ELA", "MATH"];
export const YEARS = [2023, 2024] as const;
export type Year = (typeof YEARS)[number];

/** Student groups, as bits on each simulated student, with the names the state's files use. */
export const GROUPS = [
  { key: "el", bit: 1, file: "el", label: "EL" },
  { key: "high_needs", bit: 2, file: "high_needs", label: "high needs" },
  { key: "swd", bit: 4, file: "swd", label: "students with disabilities" },
  { key: "low_income", bit: 8, file: "low_income", label: "low-income" },
  { key: "black", bit: 16, file: "black", label: "afr.american/black" },
  { key: "hispanic", bit: 32, file: "hispanic", label: "hispanic/latino" },
  { key: "white", bit: 64, file: "white", label: "white" },
] as const;
export type GroupKey = (typeof GROUPS)[number]["key"];
export const GROUP_BITS = Object.fromEntries(GROUPS.map((g) => [g.key, g.bit])) as Record<
  GroupKey,
  number
>;

/** Shares of enrolled students in each group; the race shares leave room for other groups. */
export interface GroupShares {
  el: number;
  swd: number;
  lowIncome: number;
  black: number;
  hispanic: number;
  white: number;
}

export interface OrgDefinition {
  /** Eight digits, as the semicolon files write it. */
  code: string;
  /** The school's own name (without the district), or "State". */
  name: string;
  grades: readonly number[];
  /** Students enrolled in each grade, before year-to-year variation of about 6 %. */
  size: number;
  shares: GroupShares;
  /** Mean scaled score above (or below) the state's, in scaled-score points. */
  effect: Record<Subject, number>;
  /** Mean student growth percentile above (or below) 50. */
  growth: number;
  /** Share of enrolled students who miss a test. */
  absence: number;
  /** Planted: how far students with disabilities score below their peers, where not typical. */
  swdEffect?: Partial<Record<Subject, number>>;
  /** Planted: the number of English learners, drawn in this range, where not a share. */
  elCount?: readonly [number, number];
}

export const DISTRICT = { name: "Kestrel Valley", code: "09700000" } as const;

const CEDAR_BROOK = "09700005";
const FERNWOOD = "09700010";
const HERON_POND = "09700405";
/** The planted small group's size range; the state would publish none of these rows. */
const SMALL_EL = [6, 9] as const;

export const SCHOOLS: readonly OrgDefinition[] = [
  {
    code: CEDAR_BROOK,
    name: "Cedar Brook Elementary School",
    grades: [3, 4, 5],
    size: 48,
    shares: { el: 0, swd: 0.17, lowIncome: 0.26, black: 0.12, hispanic: 0.15, white: 0.62 },
    effect: { ELA: 5, MATH: 3 },
    growth: 2,
    absence: 0.006,
    elCount: SMALL_EL,
  },
  {
    code: FERNWOOD,
    name: "Fernwood Elementary School",
    grades: [3, 4, 5],
    size: 72,
    shares: { el: 0.14, swd: 0.19, lowIncome: 0.55, black: 0.14, hispanic: 0.3, white: 0.45 },
    effect: { ELA: -2, MATH: -3 },
    growth: -1,
    absence: 0.008,
  },
  {
    code: "09700015",
    name: "Tamarack Elementary School",
    grades: [3, 4, 5],
    size: 60,
    shares: { el: 0.1, swd: 0.16, lowIncome: 0.33, black: 0.11, hispanic: 0.18, white: 0.58 },
    effect: { ELA: 6, MATH: 7 },
    growth: 3,
    absence: 0.005,
  },
  {
    code: "09700020",
    name: "Osprey Point School",
    grades: [3, 4, 5, 6, 7, 8],
    size: 42,
    shares: { el: 0.18, swd: 0.2, lowIncome: 0.65, black: 0.18, hispanic: 0.38, white: 0.32 },
    effect: { ELA: -6, MATH: -7 },
    growth: -3,
    absence: 0.012,
  },
  {
    code: HERON_POND,
    name: "Heron Pond Middle School",
    grades: [6, 7, 8],
    size: 115,
    shares: { el: 0.08, swd: 0.18, lowIncome: 0.3, black: 0.1, hispanic: 0.14, white: 0.62 },
    effect: { ELA: 12, MATH: 9 },
    growth: 1,
    absence: 0.01,
    swdEffect: { ELA: -42 },
  },
  {
    code: "09700410",
    name: "Sparrow Hill Middle School",
    grades: [6, 7, 8],
    size: 96,
    shares: { el: 0.12, swd: 0.2, lowIncome: 0.5, black: 0.13, hispanic: 0.28, white: 0.48 },
    effect: { ELA: -4, MATH: -2 },
    growth: 0,
    absence: 0.01,
  },
];

/** The state: statewide counts are of the real order (about 67,000 students a grade). */
export const STATE: OrgDefinition = {
  code: "00000000",
  name: "State",
  grades: [3, 4, 5, 6, 7, 8],
  size: 67000,
  shares: { el: 0.1, swd: 0.19, lowIncome: 0.44, black: 0.09, hispanic: 0.23, white: 0.55 },
  effect: { ELA: 0, MATH: 0 },
  growth: 0,
  absence: 0.012,
};

export interface Planted {
  district: { name: string; code: string };
  /** One school's percent of possible points on one math category is far below the state's. */
  weakCategory: {
    schoolCode: string;
    schoolName: string;
    subject: Subject;
    category: string;
    grades: readonly number[];
    years: readonly number[];
    /** Most of the category's items are this many points below the state (both ends included). */
    belowState: { min: number; max: number };
    /** The share of its items in that band, rounded per test; the rest are 5 to 11 points below. */
    itemShare: number;
  };
  /** Students with disabilities are far below the school's all students in % meeting or above. */
  swdGap: {
    schoolCode: string;
    schoolName: string;
    subject: Subject;
    years: readonly number[];
    /** The gap in percentage points (all students minus the group) is at least this. */
    minGap: number;
  };
  /** A group smaller than the state publishes, kept so that suppression can be tested. */
  smallGroup: {
    schoolCode: string;
    schoolName: string;
    group: GroupKey;
    studentGroup: string;
    years: readonly number[];
    minStudents: number;
    maxStudents: number;
  };
  /** The item workbook whose first header is "TEM", as in the state's 2022 MG8 sheet. */
  temHeader: { file: string; sheet: string };
}

export const PLANTED = {
  district: { ...DISTRICT },
  weakCategory: {
    schoolCode: FERNWOOD,
    schoolName: "Fernwood Elementary School",
    subject: "MATH",
    category: "NF",
    grades: [4, 5],
    years: [...YEARS],
    belowState: { min: 12, max: 20 },
    itemShare: 0.85,
  },
  swdGap: {
    schoolCode: HERON_POND,
    schoolName: "Heron Pond Middle School",
    subject: "ELA",
    years: [...YEARS],
    minGap: 35,
  },
  smallGroup: {
    schoolCode: CEDAR_BROOK,
    schoolName: "Cedar Brook Elementary School",
    group: "el",
    studentGroup: "EL",
    years: [...YEARS],
    minStudents: SMALL_EL[0],
    maxStudents: SMALL_EL[1],
  },
  temHeader: { file: `ma_mcas_2024_item_analysis_${HERON_POND}.xlsx`, sheet: "MG8" },
} as const satisfies Planted;

/** "Kestrel Valley - Fernwood Elementary School", as the profile files name a school. */
export function profileName(org: OrgDefinition): string {
  return org.code === STATE.code ? "State" : `${DISTRICT.name} - ${org.name}`;
}
