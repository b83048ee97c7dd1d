import type { OrgDefinition, Subject } from "./district.ts";
import { DISTRICT, GROUP_BITS } from "./district.ts";
import type { Form } from "./forms.ts";
import type { Random } from "./random.ts";
import type { Cohort } from "./students.ts";
import type { TestScores } from "./student-items.ts";

/**
 * The district's student-level file in DESE's full layout (the 267 columns of the state's
 * official student file, ma_mcas_official_2022_student_file_layout.json): one row per simulated
 * student of every school, with the school code, flags, item points, essay traits and scores.
 * Like the real de-identified file, it names no student: names and dates of birth are blank and
 * sasid is a made-up number. Blank cells are values the state leaves empty.
 */

const numbered = (prefix: string, first: number, last: number) =>
  Array.from({ length: last - first + 1 }, (_, i) => `${prefix}${first + i}`);

// prettier-ignore
export const STUDENT_FILE_COLUMNS: readonly string[] = [
  "adminyear", "sprp_dis", "sprp_sch", "sprp_dis_name", "sprp_sch_name", "sprp_orgtype", "schtype",
  "testschoolcode", "testschoolname", "sasid", "grade", "gradesims", "lastname", "firstname", "mi",
  "dob", "gender", "race", "yrsinmass", "yrsinmass_num", "yrsinsch", "yrsindis", "highneeds",
  "lowincome", "title1", "ever_EL", "EL", "EL_FormerEL", "FormerEL", "ELfirstyear", "IEP",
  "plan504", "firstlanguage", "natureofdis", "levelofneed", "spedplacement", "town", "county",
  "octenr", "conenr_sch", "conenr_dis", "conenr_sta", "access_part", "ealt", "ecomplexity",
  "emode", "eteststat", "wptopdev", "wpcompconv", ...numbered("eitem", 1, 40), "erawsc", "emcpts",
  "eorpts", "eperpospts", "escaleds", "eperflev", "eperf2", "enumin", "eassess", "esgp", "idea1",
  "conv1", "idea2", "conv2", "idea3", "conv3", "eattempt", "malt", "mcomplexity", "mmode",
  "mteststat", ...numbered("mitem", 1, 42), "mrawsc", "mmcpts", "morpts", "mperpospts", "mscaleds",
  "mperflev", "mperf2", "mnumin", "massess", "msgp", "mattempt", "salt", "scomplexity", "smode",
  "steststat", "ssubject", ...numbered("sitem", 1, 45), "srawsc", "smcpts", "sorpts", "sperpospts",
  "sscaleds", "sperflev", "sperf2", "snumin", "sassess", "sattempt", "ela_cd", "math_cd", "sci_cd",
  "accom_e", "accom_m", "accom_s", "accom_readaloud", "accom_scribe", "accom_calculator",
  "grade2018", "grade2019", "grade2021", "escaleds2018", "escaleds2019", "escaleds2021",
  "mscaleds2018", "mscaleds2019", "mscaleds2021", "esgp2018", "esgp2019", "esgp2021", "msgp2018",
  "msgp2019", "msgp2021", "summarize", "amend", "datachanged", "eScaleForm", "mScaleForm",
  "sScaleForm", "eFormType", "mFormType", "sFormType", "days_in_person", "member",
  "ssubject_prior", "sscaleds_prior", "escaleds_legacy_equivalent", "mscaleds_legacy_equivalent",
  "sscaleds_legacy_equivalent", "sscaleds_highest_on_legacy_scale", "scpi",
  "sscaleds_highest_on_nextGen_scale", "sperf2_highest_on_nextGen_scale",
];

export function studentFileName(year: number): string {
  return `ma_mcas_${year}_student_items_${DISTRICT.code}.csv`;
}

/** One school's students of one year, with their scores on each test they took. */
export interface SchoolStudents {
  school: OrgDefinition;
  cohort: Cohort;
  tests: { form: Form; scores: TestScores }[];
}

const PREFIX: Record<Subject, string> = { ELA: "e", MATH: "m" };
const LEVEL_NAMES = { E: "Exceeding", M: "Meeting", PM: "Partially Meeting", NM: "Not Meeting" };

/**
 * The file's text: a header and one row per student, schools in the order given, students in
 * cohort order (grade by grade). `random` draws what the sample does not otherwise simulate:
 * gender, and the race of students in none of the sample's race groups.
 */
export function formatStudentFile(
  year: number,
  schools: readonly SchoolStudents[],
  random: Random,
): string {
  const lines = [STUDENT_FILE_COLUMNS.join(",")];
  let sasid = 0;
  for (const { school, cohort, tests } of schools) {
    const draw = random.fork(school.code);
    // Each student's row in each test they took: (test, position among the test's students).
    const taken = new Map<number, { scores: TestScores; form: Form; at: number }[]>();
    for (const { form, scores } of tests) {
      scores.students.forEach((student, at) => {
        taken.set(student, [...(taken.get(student) ?? []), { scores, form, at }]);
      });
    }
    for (let i = 0; i < cohort.grade.length; i++) {
      const row = new Map<string, string>();
      const bits = cohort.groups[i] ?? 0;
      const flag = (bit: number) => ((bits & bit) !== 0 ? "1" : "0");
      const grade = String(cohort.grade[i] ?? 0).padStart(2, "0");
      row.set("adminyear", String(year));
      row.set("sprp_dis", DISTRICT.code);
      row.set("sprp_sch", school.code);
      row.set("sprp_dis_name", DISTRICT.name);
      row.set("sprp_sch_name", school.name);
      row.set("testschoolcode", school.code);
      row.set("testschoolname", school.name);
      row.set("sasid", `97${String(++sasid).padStart(8, "0")}`);
      row.set("grade", grade);
      row.set("gradesims", grade);
      row.set("gender", draw.chance(0.49) ? "F" : "M");
      row.set("race", raceOf(bits, draw));
      row.set("highneeds", flag(GROUP_BITS.high_needs));
      row.set("lowincome", flag(GROUP_BITS.low_income));
      row.set("EL", flag(GROUP_BITS.el));
      row.set("ever_EL", flag(GROUP_BITS.el));
      row.set("FormerEL", "0");
      row.set("IEP", flag(GROUP_BITS.swd));
      for (const subject of ["ELA", "MATH"] as const) {
        const p = PREFIX[subject];
        const test = taken.get(i)?.find((t) => t.form.subject === subject);
        if (!test) {
          // Enrolled and registered, but absent: not tested.
          row.set(`${p}teststat`, "NTA");
          row.set(`${p}attempt`, "N");
          row.set(`${p}perflev`, "ABS");
          continue;
        }
        const score = cohort.scores[subject][i] ?? 0;
        let raw = 0;
        for (const [item, points] of test.scores.points) {
          const value = points[test.at] ?? 0;
          if (item.role === "trait") {
            // WR12.IDEA1 is column idea1, LA12.CONV1 is conv1.
            row.set(String(item.id).split(".")[1]!.toLowerCase(), String(value));
          } else {
            row.set(`${p}item${item.id}`, String(value));
            raw += value;
          }
        }
        const level = score >= 530 ? "E" : score >= 500 ? "M" : score >= 470 ? "PM" : "NM";
        row.set(`${p}teststat`, "T");
        row.set(`${p}attempt`, "F");
        row.set(`${p}rawsc`, String(raw));
        row.set(`${p}scaleds`, String(score));
        row.set(`${p}perflev`, level);
        row.set(`${p}perf2`, LEVEL_NAMES[level]);
        row.set(`${p}assess`, "1");
        const sgp = cohort.sgps[subject][i] ?? 0;
        if (sgp > 0) row.set(`${p}sgp`, String(sgp));
      }
      lines.push(STUDENT_FILE_COLUMNS.map((column) => row.get(column) ?? "").join(","));
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The race code of a student: B, H, W from the sample's groups, else Asian or multi-race. */
function raceOf(bits: number, random: Random): string {
  if (bits & GROUP_BITS.black) return "B";
  if (bits & GROUP_BITS.hispanic) return "H";
  if (bits & GROUP_BITS.white) return "W";
  return random.chance(0.6) ? "A" : "M";
}
