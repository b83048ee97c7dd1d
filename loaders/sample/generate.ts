import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Log } from "../log.ts";
import { GROUPS, PLANTED, SCHOOLS, STATE, SUBJECTS, YEARS } from "./district.ts";
import { drawForms, getForm } from "./forms.ts";
import { scoreForm } from "./item-results.ts";
import { countCohort, setPercentiles } from "./profile.ts";
import { formatCommaFile, formatSemicolonFile } from "./profile-csv.ts";
import { createRandom } from "./random.ts";
import type { PlantedFigures } from "./readme.ts";
import { formatReadme, measurePlanted } from "./readme.ts";
import type { SchoolStudents } from "./student-file.ts";
import { formatStudentFile, studentFileName } from "./student-file.ts";
import { scoreStudents } from "./student-items.ts";
import { drawBaseMeans, simulateCohort } from "./students.ts";
import type { SheetResults } from "./workbook.ts";
import { writeItemWorkbook } from "./workbook.ts";

export { PLANTED } from "./district.ts";
export type { Planted } from "./district.ts";

export interface SampleOptions {
  outDir: string;
  seed: number;
  log: Log;
}

/**
 * Writes the fictional district's state files for 2023 and 2024 into `outDir`: profile CSVs in the
 * state's comma and semicolon variants, one item analysis workbook per school and year, the
 * district's student-level file of the last year, and a README. The same seed gives the same
 * bytes. Resolves to the names of the files written.
 */
export async function generateSample({ outDir, seed, log }: SampleOptions): Promise<string[]> {
  const done = log.time();
  const random = createRandom(seed);
  const means = drawBaseMeans(random.fork("means"), YEARS);
  const forms = drawForms(random.fork("forms"));
  await mkdir(outDir, { recursive: true });

  const written: string[] = [];
  const write = async (name: string, data: string | Buffer) => {
    await writeFile(join(outDir, name), data);
    written.push(name);
  };
  const figures: PlantedFigures[] = [];

  for (const year of YEARS) {
    const timeYear = log.time();

    // Profile files, counted from simulated students of every school and of the state.
    const cohorts = [...SCHOOLS, STATE].map((org) =>
      simulateCohort(org, year, means, random.fork(`students:${year}:${org.code}`)),
    );
    const rows = cohorts.flatMap(countCohort);
    setPercentiles(rows);
    const aggregate = rows.filter((row) => row.grade === null);
    await write(
      `ma_mcas_${year}_gr3-8_schools_all_students.csv`,
      formatCommaFile(aggregate.filter((row) => row.group === null)),
    );
    for (const group of GROUPS) {
      await write(
        `ma_mcas_${year}_gr3-8_schools_${group.file}.csv`,
        formatSemicolonFile(
          aggregate.filter((row) => row.group === group.key),
          group.label,
        ),
      );
    }
    for (const grade of STATE.grades) {
      await write(
        `ma_mcas_${year}_gr${grade}_schools_all_students.csv`,
        formatSemicolonFile(
          rows.filter((row) => row.grade === grade),
          "ALL",
        ),
      );
    }

    // Item analysis workbooks: every school takes the same forms as the state that year, and
    // its percents are counted from its students' item points.
    let weakSheets: SheetResults[] = [];
    const students: SchoolStudents[] = [];
    for (const [index, school] of SCHOOLS.entries()) {
      const cohort = cohorts[index]!;
      const tests: SchoolStudents["tests"] = [];
      const sheets = school.grades.flatMap((grade) =>
        SUBJECTS.map((subject): SheetResults => {
          const form = getForm(forms, year, subject, grade);
          const itemRandom = random.fork(`items:${year}:${school.code}:${subject}:${grade}`);
          const drawn = scoreForm(form, school, itemRandom);
          const pointsRandom = random.fork(`points:${year}:${school.code}:${subject}:${grade}`);
          const { results, scores } = scoreStudents(form, cohort, drawn, pointsRandom);
          tests.push({ form, scores });
          return { form, results };
        }),
      );
      students.push({ school, cohort, tests });
      const name = `ma_mcas_${year}_item_analysis_${school.code}.xlsx`;
      const quirk = name === PLANTED.temHeader.file ? PLANTED.temHeader.sheet : undefined;
      await write(name, await writeItemWorkbook(school, year, sheets, quirk));
      if (school.code === PLANTED.weakCategory.schoolCode) {
        weakSheets = sheets.filter(
          ({ form }) =>
            form.subject === PLANTED.weakCategory.subject &&
            (PLANTED.weakCategory.grades as readonly number[]).includes(form.grade),
        );
      }
    }
    // The student-level file of the last year: the students behind its workbooks.
    if (year === YEARS.at(-1)) {
      await write(
        studentFileName(year),
        formatStudentFile(year, students, random.fork(`student-file:${year}`)),
      );
    }
    figures.push(measurePlanted(year, rows, weakSheets));
    timeYear(
      `sample ${year}: ${1 + GROUPS.length + STATE.grades.length} profile files and ` +
        `${SCHOOLS.length} item workbooks`,
    );
  }

  await write("README.md", formatReadme(seed, figures));
  done(`sample: wrote ${written.length} files to ${outDir} (seed ${seed})`);
  return written;
}
