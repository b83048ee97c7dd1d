import { percentHalfUp } from "../../rounding.ts";
import { InputError, ProblemList } from "../errors.ts";
import { studentGroupFromFileName, studentGroupOf } from "../groups.ts";
import type { Parsed } from "../text.ts";
import {
  STATE_CODE,
  districtCodeOf,
  parseCount,
  parseDecimal,
  parseOrgCode,
  parsePercent100,
  readDelimited,
} from "../text.ts";
import { chooseYear, gradeCode, gradeFromFileName } from "../years.ts";
import { MOST_MISSING_OF_A_RESEMBLING_HEADER, describeMissingColumns } from "./detect.ts";
import type { AchievementRow, FileFormat, LevelRow, ParsedFile } from "./types.ts";
import { emptyRows } from "./types.ts";

/**
 * DESE profile exports of next-generation MCAS achievement ("mcas public schools grades 3-8 all
 * students 2022.csv" and its subgroup siblings): one row per organisation and subject, with counts
 * and percents for each level. Two variants exist: comma files with a Year column, and semicolon
 * files with a byte-order mark and year, grade and student_group columns.
 */

const LEVELS = ["E", "M", "PM", "NM"] as const;

/** Column headers, compared without case. `name` and `code` accept the district variant too. */
const COLUMNS = {
  name: ["School Name", "District Name", "Org Name"],
  code: ["School Code", "District Code", "Org Code"],
  subject: ["Subject"],
  meNumber: ["M+E #"],
  mePercent: ["M+E %"],
  E_n: ["E #"],
  E_pct: ["E %"],
  M_n: ["M #"],
  M_pct: ["M %"],
  PM_n: ["PM #"],
  PM_pct: ["PM %"],
  NM_n: ["NM #"],
  NM_pct: ["NM %"],
  students: ["No. of Students Included"],
  participation: ["Part. Rate %"],
  scaledScore: ["Avg. Scaled Score"],
  sgp: ["SGP"],
  includedSgp: ["Included In SGP"],
  percentile: ["Ach. PCTL"],
  year: ["Year"],
  grade: ["grade"],
  group: ["student_group", "student group"],
} as const;

type Column = keyof typeof COLUMNS;
const OPTIONAL: ReadonlySet<Column> = new Set([
  "participation",
  "percentile",
  "year",
  "grade",
  "group",
]);

const SUBJECTS: Record<string, string> = {
  ela: "ELA",
  math: "MATH",
  mth: "MATH",
  sci: "SCI",
  science: "SCI",
  "science and tech/eng": "SCI",
};

function mapColumns(header: string[]): {
  index: Map<Column, number>;
  missing: Column[];
  /** Header cells that name no column of a profile export. */
  unknown: string[];
} {
  const lower = header.map((name) => name.trim().toLowerCase());
  const index = new Map<Column, number>();
  const missing: Column[] = [];
  for (const [column, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    const at = lower.findIndex((name) => names.some((known) => known.toLowerCase() === name));
    if (at >= 0) index.set(column, at);
    else if (!OPTIONAL.has(column)) missing.push(column);
  }
  const known = new Set(index.values());
  const unknown = header.filter((name, at) => !known.has(at) && name.trim() !== "");
  return { index, missing, unknown };
}

function describeMissing(missing: readonly Column[], unknown: readonly string[]): string {
  const names = missing.map((column) => COLUMNS[column][0]);
  return describeMissingColumns(names, unknown, "a profile export");
}

/** "Abington - Abington Middle School" is district "Abington", school "Abington Middle School". */
export function splitSchoolName(full: string): { district: string | null; school: string } {
  const trimmed = full.trim();
  // Charter districts may contain " - " themselves ("Community Day ... - Gateway (District) - ...").
  const charter = trimmed.indexOf(" (District) - ");
  if (charter >= 0) {
    const cut = charter + " (District)".length;
    return { district: trimmed.slice(0, cut), school: trimmed.slice(cut + 3).trim() };
  }
  const cut = trimmed.indexOf(" - ");
  if (cut < 0) return { district: null, school: trimmed };
  return { district: trimmed.slice(0, cut).trim(), school: trimmed.slice(cut + 3).trim() };
}

export const profileExport: FileFormat = {
  id: "profile-export",
  description:
    "DESE profile export of MCAS achievement by school and subject (comma or semicolon, " +
    "with M+E #, E %, ... No. of Students Included columns)",
  order: 10,

  async detect(file) {
    if (!/\.(csv|txt|tsv)$/i.test(file.name)) return false;
    const header = file.firstLine().toLowerCase();
    return header.includes("m+e %") && header.includes("no. of students included");
  },

  async resembles(file) {
    if (!/\.(csv|txt|tsv)$/i.test(file.name)) return undefined;
    const { missing, unknown } = mapColumns(readDelimited(file.firstLine()).header);
    // All but a few columns present: a profile export whose signature column was renamed.
    const close = missing.length > 0 && missing.length <= MOST_MISSING_OF_A_RESEMBLING_HEADER;
    return close ? describeMissing(missing, unknown) : undefined;
  },

  async parse(file, context): Promise<ParsedFile> {
    const problems = new ProblemList(file.name);
    const { header, records } = readDelimited(file.text());
    const { index, missing, unknown } = mapColumns(header);
    if (missing.length > 0) {
      problems.add(describeMissing(missing, unknown), { row: 1 });
      problems.throwIfAny();
    }

    const warnings: string[] = [];
    if (unknown.length > 0) {
      warnings.push(`${file.name}: ignored column(s) ${unknown.map((n) => `"${n}"`).join(", ")}`);
    }

    // Year, grade and group come from columns where the file has them, else from its name.
    const nameYear = index.has("year") ? undefined : chooseYear(file.name, context.year);
    if (!index.has("year") && !nameYear) {
      problems.add("the file has no Year column and its name holds no year: pass --year", {});
    }
    if (nameYear?.warning) warnings.push(nameYear.warning);
    const nameGrade = gradeFromFileName(file.name);
    const nameGroup = studentGroupFromFileName(file.name);
    if (!index.has("grade") && !nameGrade) {
      problems.add(
        "the file has no grade column and its name does not say its grades: " +
          'name it like the state does, e.g. "..._gr3-8_..." or "..._gr5_..."',
      );
    }
    if (!index.has("group") && !nameGroup) {
      problems.add(
        "the file has no student_group column and its name does not say which group it holds " +
          '(e.g. "..._all_students.csv", "..._high_needs.csv")',
      );
    }
    problems.throwIfAny();

    const rows = emptyRows();
    const seen = new Map<string, number>();
    let gradeAllUnnamed: number | undefined;
    let recordCount = 0;
    // Where each row's grade came from, for the log line that says so.
    const gradeOrigins = new Set<string>();
    const countMismatches: number[] = [];
    // Rows whose published percents are not their counts over the students: the columns, each
    // with its percent, count, students and the percent they make.
    const percentMismatches: { line: number; disagreeing: string[] }[] = [];
    const years = new Set<number>();

    for (const { line, fields } of records) {
      if (fields.every((field) => field.trim() === "")) continue;
      recordCount += 1;
      if (fields.length !== header.length) {
        problems.add(`expected ${header.length} fields as in the header, found ${fields.length}`, {
          row: line,
        });
        continue;
      }
      const raw = (column: Column) => {
        const at = index.get(column);
        return at === undefined ? "" : (fields[at] ?? "");
      };
      // Columns of this row whose cells the state marked as suppressed.
      const withheld: string[] = [];
      const read = <T>(column: Column, parsed: Parsed<T>): T | undefined => {
        if (parsed.ok) {
          if (parsed.withheld) withheld.push(header[index.get(column)!]!);
          return parsed.value;
        }
        problems.add(`expected ${parsed.expected}`, {
          row: line,
          column: header[index.get(column)!],
          value: raw(column),
        });
        return undefined;
      };

      const orgCode = read("code", parseOrgCode(raw("code")));
      const subjectRaw = raw("subject").trim();
      const subject = SUBJECTS[subjectRaw.toLowerCase()];
      if (!subject) {
        problems.add(`expected a subject: ${Object.keys(SUBJECTS).join(", ")}`, {
          row: line,
          column: header[index.get("subject")!],
          value: subjectRaw,
        });
      }

      let year = nameYear?.year;
      if (index.has("year")) {
        const parsedYear = read("year", parseCount(raw("year")));
        if (parsedYear !== undefined && parsedYear !== null) year = parsedYear;
        else if (parsedYear === null) {
          problems.add("expected the school year, such as 2022", {
            row: line,
            column: header[index.get("year")!],
            value: raw("year"),
          });
        }
      }

      let grade = nameGrade;
      let gradeOrigin = "the file name";
      if (index.has("grade")) {
        const gradeRaw = raw("grade").trim();
        if (/^all$/i.test(gradeRaw)) {
          // "ALL" means every grade of the file, which only its name says (gr3-8 in the state's
          // files); without it the rows could not be told from a single grade's or all grades'.
          grade = nameGrade;
          if (!nameGrade) gradeAllUnnamed ??= line;
        } else if (/^\d{1,2}$/.test(gradeRaw) && Number(gradeRaw) >= 3 && Number(gradeRaw) <= 12) {
          grade = gradeCode(Number(gradeRaw));
          gradeOrigin = "its grade column";
        } else {
          problems.add("expected a grade from 3 to 12 or ALL", {
            row: line,
            column: header[index.get("grade")!],
            value: gradeRaw,
          });
        }
      }

      let group = nameGroup;
      if (index.has("group")) {
        const groupRaw = raw("group");
        group = studentGroupOf(groupRaw);
        if (!group) {
          problems.add("expected a known student group (see the README's list)", {
            row: line,
            column: header[index.get("group")!],
            value: groupRaw,
          });
        }
      }

      const students = read("students", parseCount(raw("students")));
      const meNumber = read("meNumber", parseCount(raw("meNumber")));
      const mePercent = read("mePercent", parsePercent100(raw("mePercent")));
      const scaledScore = read("scaledScore", parseDecimal(raw("scaledScore")));
      const sgp = read("sgp", parseDecimal(raw("sgp")));
      const includedSgp = read("includedSgp", parseCount(raw("includedSgp")));
      const participation = read("participation", parsePercent100(raw("participation")));
      const percentile = read("percentile", parseDecimal(raw("percentile")));
      const levels = LEVELS.map((level) => ({
        level,
        n: read(`${level}_n`, parseCount(raw(`${level}_n`))),
        pct: read(`${level}_pct`, parsePercent100(raw(`${level}_pct`))),
      }));

      if (
        orgCode === undefined ||
        !subject ||
        year === undefined ||
        !grade ||
        !group ||
        [students, meNumber, mePercent, scaledScore, sgp, includedSgp, participation, percentile]
          .concat(levels.flatMap((level) => [level.n, level.pct]))
          .some((value) => value === undefined)
      ) {
        continue;
      }

      const key = [year, orgCode, grade, subject, group].join("|");
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        problems.add(
          `repeats row ${earlier}: the same year, organisation, grade, subject and group`,
          { row: line, column: header[index.get("code")!], value: raw("code") },
        );
        continue;
      }
      seen.set(key, line);
      years.add(year);
      gradeOrigins.add(gradeOrigin);

      // Each published percent should be its count over the students, rounded half up as the
      // state rounds; rows where one is not are listed, not hidden or "fixed".
      if (students) {
        // Each percent column with its count.
        type Pair = [Column, number | null, number | null];
        const pairs: Pair[] = [
          ["mePercent", meNumber!, mePercent!],
          ...levels.map((level): Pair => [`${level.level}_pct`, level.n!, level.pct!]),
        ];
        const disagreeing = pairs.flatMap(([column, count, pct]) => {
          if (count === null || pct === null) return [];
          const computed = percentHalfUp(count, students);
          if (computed === pct) return [];
          return [
            `"${header[index.get(column)!]}" ${pct} (${count} of ${students} is ${computed})`,
          ];
        });
        if (disagreeing.length > 0) percentMismatches.push({ line, disagreeing });
      }

      // Published counts should add up; rows that do not are listed, not hidden or "fixed".
      const levelSum = levels.reduce((sum, level) => sum + (level.n ?? 0), 0);
      if (students !== null && levels.every((level) => level.n !== null) && levelSum !== students) {
        countMismatches.push(line);
      }

      const isState = orgCode === STATE_CODE;
      const isDistrict =
        !isState && header[index.get("code")!]!.toLowerCase().startsWith("district");
      const names = splitSchoolName(raw("name"));
      const districtCode = isState ? null : isDistrict ? orgCode : districtCodeOf(orgCode!);
      const achievement: AchievementRow = {
        year,
        org_code: orgCode!,
        org_name: isState ? "State" : isDistrict ? raw("name").trim() : names.school,
        org_type: isState ? "state" : isDistrict ? "district" : "school",
        district_code: districtCode,
        district_name: isState ? null : isDistrict ? raw("name").trim() : names.district,
        grade,
        subject,
        student_group: group,
        n_students: students!,
        n_meeting_or_above: meNumber!,
        pct_meeting_or_above: mePercent!,
        avg_scaled_score: scaledScore!,
        sgp: sgp!,
        n_included_sgp: includedSgp!,
        participation_rate: participation!,
        achievement_percentile: percentile!,
        source_file: file.name,
        cpi: null,
        withheld,
      };
      rows.achievement.push(achievement);
      for (const level of levels) {
        const levelRow: LevelRow = {
          year,
          org_code: orgCode!,
          grade,
          subject,
          student_group: group,
          level: level.level,
          n: level.n!,
          pct: level.pct!,
          source_file: file.name,
          withheld: withheld.some((column) => column.startsWith(`${level.level} `)),
        };
        rows.achievement_levels.push(levelRow);
      }
    }
    if (gradeAllUnnamed !== undefined) {
      problems.errors.unshift(
        new InputError(
          file.name,
          'grade "ALL" means every grade of the file, and the file name does not say which: ' +
            'name it as the state does, e.g. "..._gr3-8_..."',
          { row: gradeAllUnnamed, column: header[index.get("grade")!], value: "ALL" },
        ),
      );
    }
    if (recordCount === 0) {
      problems.add("the file holds no data rows below its header: an interrupted export?", {});
    }
    problems.throwIfAny();

    if (context.year !== undefined && index.has("year") && years.size > 0) {
      const other = [...years].filter((year) => year !== context.year);
      if (other.length > 0) {
        warnings.push(
          `${file.name}: --year ${context.year} not used: the file's Year column says ` +
            `${other.join(", ")}`,
        );
      }
    }
    context.log.info(
      `${file.name}: year from ${index.has("year") ? "its Year column" : `the ${nameYear!.origin}`}` +
        `, grades from ${[...gradeOrigins].join(" and ")}` +
        ` (${[...new Set(rows.achievement.map((row) => row.grade))].join(", ")})` +
        `, group from ${index.has("group") ? "its student_group column" : "the file name"}`,
    );

    // One line per row, up to a limit: a file whose every row disagrees (a wrong column order)
    // needs a few examples, not thousands of lines.
    for (const { line, disagreeing } of percentMismatches.slice(0, LISTED_PERCENT_MISMATCHES)) {
      warnings.push(
        `${file.name}, row ${line}: a percent that is not its count over the students included, ` +
          `rounded half up: ${disagreeing.join(", ")}`,
      );
    }
    if (percentMismatches.length > LISTED_PERCENT_MISMATCHES) {
      const more = percentMismatches.slice(LISTED_PERCENT_MISMATCHES).map(({ line }) => line);
      warnings.push(
        `${file.name}: ${more.length} more row(s) with a percent that is not its count over the ` +
          `students included: rows ${listLines(more)}`,
      );
    }
    if (countMismatches.length > 0) {
      warnings.push(
        `${file.name}: ${countMismatches.length} row(s) whose level counts do not add up to the ` +
          `students included: rows ${listLines(countMismatches)}`,
      );
    }
    return {
      rows,
      records: recordCount,
      years: [...years].sort(),
      yearOrigin: index.has("year") ? "column" : nameYear!.origin,
      warnings,
    };
  },
};

/** Rows with a disagreeing percent listed one per warning; the rest are counted in one more. */
const LISTED_PERCENT_MISMATCHES = 10;

function listLines(lines: number[], limit = 10): string {
  const shown = lines.slice(0, limit).join(", ");
  return lines.length > limit ? `${shown} and ${lines.length - limit} more` : shown;
}
