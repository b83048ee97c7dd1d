import { ProblemList } from "../errors.ts";
import { districtCodeOf, parseOrgCode, readDelimited } from "../text.ts";
import { gradeCode } from "../years.ts";
import type { Figure, LegacyLevel, LegacyResult, Measure } from "../legacy.ts";
import { LegacyChecks, addLegacyRows, readFigure } from "../legacy.ts";
import type { FileFormat, ParsedFile } from "./types.ts";
import { emptyRows } from "./types.ts";

/**
 * The "Massachusetts Public Schools 2017" compilation of DESE profile data
 * (MA_Public_Schools_2017.csv, shared on Kaggle): one row per school and about 300 columns,
 * among them legacy MCAS results by grade and subject ("MCAS_3rdGrade_Math_P+A #",
 * "% MCAS_3rdGrade_Math_A", "..._CPI"). Only those are read; enrollment, demographics,
 * finances, accountability and PPI columns are not.
 */

/**
 * The year of the compilation's MCAS columns when --year does not say: 2016. The file states no
 * year for them, and the name's 2017 is not it: they are legacy results (A/P/NI/W, CPI) for grades
 * 3 to 8, which the state last gave in spring 2016 (2017 was the first next-generation year), and
 * their values match neither the 2015 nor the 2014 columns of the 2015 legacy workbooks (3,019 of
 * 3,031 school, grade and subject cells differ). Grade 10's tested counts are closer to the file's
 * grade 11 enrollment than its grade 10 enrollment, as for the class tested in spring 2016. No
 * source states the year outright: it is inferred, and --year overrides it.
 */
export const COMPILATION_MCAS_YEAR = 2016;

type Field =
  | "n"
  | "nMeeting"
  | "pctMeeting"
  | "cpi"
  | "sgp"
  | "sgpN"
  | `${LegacyLevel}_n`
  | `${LegacyLevel}_pct`;

/** Measures of a grade and subject block, by the header's tail, compared in lower case. */
const MEASURES: Record<string, [Field, Measure]> = {
  "p+a #": ["nMeeting", "count"],
  "% p+a": ["pctMeeting", "percent"],
  "a #": ["A_n", "count"],
  "% a": ["A_pct", "percent"],
  "p #": ["P_n", "count"],
  "% p": ["P_pct", "percent"],
  "ni #": ["NI_n", "count"],
  "% ni": ["NI_pct", "percent"],
  "w/f #": ["W_n", "count"],
  "% w/f": ["W_pct", "percent"],
  "stud. incl. #": ["n", "count"],
  cpi: ["cpi", "cpi"],
  sgp: ["sgp", "sgp"],
  "incl. in sgp(#)": ["sgpN", "count"],
};

const SUBJECTS: Record<string, string> = {
  english: "ELA",
  ela: "ELA",
  math: "MATH",
  mathematics: "MATH",
  science: "SCI",
};

/** "% MCAS_10thGrade_English_P+A": percent sign, grade, subject, measure. */
const MCAS_COLUMN = /^(%\s*)?MCAS_(\d{1,2})(?:st|nd|rd|th)Grade_([A-Za-z]+)_(.+)$/i;

interface Block {
  grade: string;
  subject: string;
  columns: Partial<Record<Field, number>>;
}

const IDENTITY = {
  code: "School Code",
  name: "School Name",
  districtName: "District Name",
  districtCode: "District Code",
} as const;

interface Header {
  /** Where each identity column is; -1 for one the file lacks. */
  identity: Record<keyof typeof IDENTITY, number>;
  blocks: Block[];
  ignored: string[];
}

/** Finds the identity columns and each grade and subject block of MCAS columns. */
function readHeader(header: string[], problems: ProblemList): Header {
  const lower = header.map((name) => name.trim().replace(/\s+/g, " ").toLowerCase());
  const identity = Object.fromEntries(
    Object.entries(IDENTITY).map(([key, name]) => [key, lower.indexOf(name.toLowerCase())]),
  ) as Header["identity"];
  for (const key of ["code", "name"] as const) {
    if (identity[key] < 0)
      problems.add(`the header lacks the column "${IDENTITY[key]}"`, { row: 1 });
  }
  const blocks = new Map<string, Block>();
  const ignored: string[] = [];
  header.forEach((name, column) => {
    const match = MCAS_COLUMN.exec(name.trim());
    if (!match) {
      if (!Object.values(identity).includes(column)) ignored.push(name);
      return;
    }
    const [, percent, gradeRaw, subjectRaw, tail] = match;
    const measure = MEASURES[`${percent ? "% " : ""}${tail!.trim().toLowerCase()}`];
    const subject = SUBJECTS[subjectRaw!.toLowerCase()];
    const grade = Number(gradeRaw);
    if (!measure || !subject || grade < 3 || grade > 12) {
      problems.add(
        "an MCAS column pim cannot read: expected a grade from 3rd to 12th, a subject " +
          "(English, Math, Science) and a measure (P+A, A, P, NI, W/F as # or %, " +
          "Stud. Incl. #, CPI, SGP, Incl. in SGP(#))",
        { row: 1, column: name },
      );
      return;
    }
    const key = `${gradeCode(grade)}|${subject}`;
    const block = blocks.get(key) ?? { grade: gradeCode(grade), subject, columns: {} };
    blocks.set(key, block);
    if (block.columns[measure[0]] !== undefined) {
      problems.add("repeats an earlier MCAS column of the same grade, subject and measure", {
        row: 1,
        column: name,
      });
    }
    block.columns[measure[0]] = column;
  });
  return { identity, blocks: [...blocks.values()], ignored };
}

export const publicSchools2017: FileFormat = {
  id: "public-schools-2017-compilation",
  description:
    'the "Massachusetts Public Schools 2017" compilation (.csv), one row per school, whose ' +
    "MCAS_<grade>_<subject>_... columns hold legacy MCAS results (P+A, A, P, NI, W/F, CPI, SGP)",
  order: 15,

  async detect(file) {
    if (!/\.(csv|txt)$/i.test(file.name)) return false;
    const header = file.firstLine().toLowerCase();
    return header.includes("school code") && /mcas_\d+(st|nd|rd|th)grade_[a-z]+_cpi/.test(header);
  },

  async parse(file, context): Promise<ParsedFile> {
    const problems = new ProblemList(file.name);
    const checks = new LegacyChecks(file.name);
    const warnings: string[] = [];
    const { header, records } = readDelimited(file.text());
    const { identity, blocks, ignored } = readHeader(header, problems);
    problems.throwIfAny();
    if (ignored.length > 0) {
      warnings.push(
        `${file.name}: ignored ${ignored.length} column(s) that are not MCAS results ` +
          `(enrollment, demographics, finances, accountability, PPI): ` +
          ignored.map((name) => `"${name}"`).join(", "),
      );
    }

    const year = context.year ?? COMPILATION_MCAS_YEAR;
    if (context.year === undefined) {
      warnings.push(
        `${file.name}: year ${year} assumed for its MCAS columns, which the file does not date ` +
          `(legacy results of spring ${COMPILATION_MCAS_YEAR}, not of 2017); pass --year if ` +
          "they are another year's",
      );
    }
    context.log.info(
      `${file.name}: year ${year} ` +
        (context.year === undefined
          ? `(the compilation's default: its legacy MCAS columns are spring ${year} results)`
          : "from --year") +
        `; ${blocks.length} grade and subject blocks ` +
        `(${blocks.map((block) => `${block.subject} ${block.grade}`).join(", ")})`,
    );

    const rows = emptyRows();
    const seen = new Map<string, number>();
    let recordCount = 0;
    for (const { line, fields } of records) {
      if (fields.every((field) => field.trim() === "")) continue;
      recordCount += 1;
      if (fields.length !== header.length) {
        problems.add(`expected ${header.length} fields as in the header, found ${fields.length}`, {
          row: line,
        });
        continue;
      }
      const at = (column: number) => ({
        row: line,
        column: header[column]!,
        value: fields[column],
      });
      const code = parseOrgCode(fields[identity.code]!);
      if (!code.ok) problems.add(`expected ${code.expected}`, at(identity.code));
      const name = fields[identity.name]!.trim();
      if (!name) problems.add("expected the school's name", at(identity.name));
      const districtCode =
        identity.districtCode < 0 ? undefined : parseOrgCode(fields[identity.districtCode]!);
      if (districtCode && !districtCode.ok) {
        problems.add(`expected ${districtCode.expected}`, at(identity.districtCode));
      }
      if (!code.ok || !name || (districtCode && !districtCode.ok)) continue;
      const earlier = seen.get(code.value);
      if (earlier !== undefined) {
        problems.add(`repeats the school of row ${earlier}`, at(identity.code));
        continue;
      }
      seen.set(code.value, line);
      const org = {
        org_code: code.value,
        org_name: name,
        org_type: "school" as const,
        district_code: districtCode?.ok ? districtCode.value : districtCodeOf(code.value),
        district_name:
          identity.districtName < 0 ? null : fields[identity.districtName]!.trim() || null,
      };

      for (const block of blocks) {
        const read = (column: number, field: Field) => {
          const figure = readFigure(fields[column]!, measureOf(field));
          if (!figure.ok) problems.add(`expected ${figure.expected}`, at(column));
          else if (figure.excess) {
            checks.noteExcess(`row ${line} column "${header[column]}"`, fields[column]!);
          }
          return figure;
        };
        const result = readBlock(block, header, read, year);
        if (result && checks.admit(code.value, result)) addLegacyRows(rows, org, result, file.name);
      }
    }
    if (recordCount === 0) {
      problems.add("the file holds no data rows below its header: an interrupted export?");
    }
    problems.throwIfAny();
    const participationOnly = checks.logLine();
    if (participationOnly) context.log.info(participationOnly);
    warnings.push(...checks.warnings());
    return {
      rows,
      records: recordCount,
      years: rows.achievement.length > 0 ? [year] : [],
      // Without --year, the year is this format's documented default (COMPILATION_MCAS_YEAR).
      yearOrigin: context.year === undefined ? "format default" : "--year",
      warnings,
    };
  },
};

/** One school's results in one grade and subject, or undefined when a cell is bad. */
function readBlock(
  block: Block,
  header: string[],
  read: (column: number, field: Field) => Figure,
  year: number,
): LegacyResult | undefined {
  const values: Partial<Record<Field, number | null>> = {};
  const withheld: string[] = [];
  let bad = false;
  for (const [field, column] of Object.entries(block.columns) as [Field, number][]) {
    const figure = read(column, field);
    if (!figure.ok) {
      bad = true;
      continue;
    }
    if (figure.withheld) withheld.push(header[column]!);
    values[field] = figure.value;
  }
  if (bad) return undefined;

  const level = (name: LegacyLevel) => {
    const columns = [block.columns[`${name}_n`], block.columns[`${name}_pct`]];
    return {
      n: values[`${name}_n`] ?? null,
      pct: values[`${name}_pct`] ?? null,
      withheld: columns.some((c) => c !== undefined && withheld.includes(header[c]!)),
    };
  };
  return {
    year,
    grade: block.grade,
    subject: block.subject,
    n_students: values.n ?? null,
    n_meeting_or_above: values.nMeeting ?? null,
    pct_meeting_or_above: values.pctMeeting ?? null,
    cpi: values.cpi ?? null,
    sgp: values.sgp ?? null,
    n_included_sgp: values.sgpN ?? null,
    participation_rate: null,
    levels: { A: level("A"), P: level("P"), NI: level("NI"), W: level("W") },
    withheld,
  };
}

function measureOf(field: Field): Measure {
  return Object.values(MEASURES).find(([name]) => name === field)![1];
}
