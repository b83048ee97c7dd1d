import { normalizeName } from "./text.ts";

/**
 * The warehouse's student group codes, with the labels DESE's files use for them. Profile
 * exports spell groups several ways ("afr.american/black", "students with disabilities"); every
 * spelling maps to one code here. The README lists this table.
 */
export const STUDENT_GROUPS = [
  { code: "all", label: "All students", aliases: ["all", "all students"] },
  { code: "high_needs", label: "High needs", aliases: ["high needs"] },
  {
    code: "low_income",
    label: "Low income",
    aliases: ["low income", "economically disadvantaged"],
  },
  { code: "el", label: "English learners", aliases: ["el", "ell", "english learner", "lep"] },
  { code: "former_el", label: "Former English learners", aliases: ["former el", "former ell"] },
  { code: "ever_el", label: "Ever English learners", aliases: ["ever el", "ever ell"] },
  {
    code: "swd",
    label: "Students with disabilities",
    aliases: ["swd", "students with disabilities", "students with disabillities", "sped"],
  },
  {
    code: "black",
    label: "African American/Black",
    aliases: ["black", "afr american black", "african american black", "african american"],
  },
  { code: "asian", label: "Asian", aliases: ["asian"] },
  { code: "hispanic", label: "Hispanic/Latino", aliases: ["hispanic", "hispanic latino"] },
  { code: "white", label: "White", aliases: ["white"] },
  {
    code: "multi_race",
    label: "Multi-race, not Hispanic/Latino",
    aliases: ["multi race", "multi race non hispanic latino", "multi race not hispanic latino"],
  },
  { code: "native_american", label: "Native American", aliases: ["native american"] },
  {
    code: "pacific_islander",
    label: "Native Hawaiian or Pacific Islander",
    aliases: ["pacific islander", "native hawaiian pacific islander"],
  },
  { code: "female", label: "Female", aliases: ["female"] },
  { code: "male", label: "Male", aliases: ["male"] },
] as const;

export type StudentGroup = (typeof STUDENT_GROUPS)[number]["code"];

const BY_ALIAS = new Map<string, StudentGroup>(
  STUDENT_GROUPS.flatMap((group) => group.aliases.map((alias) => [alias, group.code] as const)),
);

/** The group code for a label as a file writes it, or undefined when it is not a known group. */
export function studentGroupOf(label: string): StudentGroup | undefined {
  return BY_ALIAS.get(normalizeName(label));
}

/**
 * The group a file is about, read from its name (ma_mcas_2022_gr3-8_schools_high_needs.csv): the
 * longest alias found between separators wins, so "high needs" beats nothing and "all students"
 * beats "all".
 */
export function studentGroupFromFileName(fileName: string): StudentGroup | undefined {
  const words = ` ${normalizeName(fileName.replace(/\.[a-z]+$/i, ""))} `;
  let best: { code: StudentGroup; length: number } | undefined;
  for (const [alias, code] of BY_ALIAS) {
    if (alias.length > 2 && words.includes(` ${alias} `) && alias.length > (best?.length ?? 0)) {
      best = { code, length: alias.length };
    }
  }
  // "el" is too short to search for in free text; accept it only as a whole trailing word.
  if (!best && / el $/.test(words)) return "el";
  return best?.code;
}

export function studentGroupLabel(code: string): string {
  return STUDENT_GROUPS.find((group) => group.code === code)?.label ?? code;
}
