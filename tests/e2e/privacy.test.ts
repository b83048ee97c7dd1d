import { readdir } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../loaders/settings.ts";
import { PUBLISHED_TABLES } from "../../loaders/suppression.ts";
import { Warehouse } from "../../loaders/warehouse/db.ts";

// Privacy is a correctness property: every data file of every built site is read back and checked
// against the suppression rule, so that a new page or loader cannot publish a small group by
// accident. A data file that the rule does not know about fails the test until it is declared.

/** The data files Framework copied into a built site (loader outputs and attachments). */
async function dataFiles(siteDir: string): Promise<string[]> {
  const entries = await readdir(join(siteDir, "_file"), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Items grouped by a key, in first-seen order. */
function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

/** "achievement.9f1326de.parquet" is the file of the published table "achievement". */
function tableOf(file: string): string {
  return basename(file).split(".")[0]!;
}

async function readParquet(file: string): Promise<Record<string, unknown>[]> {
  const warehouse = await Warehouse.open(":memory:", { readOnly: false });
  try {
    return await warehouse.all(`SELECT * FROM read_parquet(?)`, [file]);
  } finally {
    warehouse.close();
  }
}

describe.each(["sample", "real"] as const)("the data files of the %s site", (name) => {
  const site = inject("sites")[name];
  const minimum = DEFAULT_SETTINGS.minGroupSize;

  it("are only declared tables and the home page's inventory", async () => {
    const files = (await dataFiles(site.dir)).map((file) => relative(site.dir, file));
    const unknown = files.filter(
      (file) =>
        !(file.endsWith(".parquet") && tableOf(file) in PUBLISHED_TABLES) &&
        !/site\.[0-9a-f]+\.json$/.test(file),
    );
    expect(files.length).toBeGreaterThan(0);
    expect(unknown).toEqual([]);
  });

  it("publish no figure for a group under the minimum size", async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const file of (await dataFiles(site.dir)).filter((f) => f.endsWith(".parquet"))) {
      const table = PUBLISHED_TABLES[tableOf(file)]!;
      for (const [index, row] of (await readParquet(file)).entries()) {
        checked += 1;
        const n = row[table.nColumn] as number | null;
        const where = `${basename(file)} row ${index}`;
        if (typeof row.suppressed !== "boolean") problems.push(`${where}: no suppressed flag`);
        if (n !== null && n < minimum) problems.push(`${where}: published n = ${n}`);
        if (n === null && !row.suppressed && !table.nMayBeUnknown) {
          problems.push(`${where}: no n, yet not suppressed`);
        }
        if (row.suppressed) {
          for (const column of [table.nColumn, ...table.figureColumns]) {
            if (column in row && row[column] !== null) {
              problems.push(`${where}: suppressed, yet ${column} = ${String(row[column])}`);
            }
          }
        }
        if (problems.length > 20) break;
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it("suppress every group that the warehouse holds with fewer students than the minimum", async () => {
    const warehouse = await Warehouse.open(site.database, { readOnly: true });
    let small: { key: string }[];
    try {
      small = await warehouse.all<{ key: string }>(
        `SELECT concat_ws('|', year, org_code, grade, subject, student_group) AS key
         FROM achievement WHERE n_students < ?`,
        [minimum],
      );
    } finally {
      warehouse.close();
    }
    const file = (await dataFiles(site.dir)).find((f) => tableOf(f) === "achievement")!;
    const published = new Map(
      (await readParquet(file)).map((row) => [
        [row.year, row.org_code, row.grade, row.subject, row.student_group].join("|"),
        row.suppressed,
      ]),
    );
    for (const { key } of small) expect(published.get(key), key).toBe(true);
    // The sample plants a group under 10 students; the state's own files leave such groups out.
    if (name === "sample") expect(small.length).toBeGreaterThan(0);
  });

  it("leave no withheld group of a student file recoverable by subtraction", async () => {
    // Groups that add up to a whole, written out here apart from loaders/suppression.ts. Where
    // the whole is shown, the students of the shown parts must leave none unshown, or at least
    // the minimum: a difference of fewer would be a withheld group's figure.
    const FAMILIES: [string, string[]][] = [
      ["all", ["female", "male"]],
      [
        "all",
        [
          "asian",
          "black",
          "hispanic",
          "multi_race",
          "native_american",
          "pacific_islander",
          "white",
        ],
      ],
      ["ever_el", ["el", "former_el"]],
      ...["high_needs", "low_income", "el", "former_el", "ever_el", "swd"].map(
        (group): [string, string[]] => ["all", [group]],
      ),
    ];
    const warehouse = await Warehouse.open(site.database, { readOnly: true });
    let sizes: { year: number; org: string; test: string; group: string; n: number }[];
    try {
      sizes = await warehouse.all(
        `SELECT year, org_code AS org, test, student_group AS "group", max(n_tested)::INTEGER AS n
         FROM item_results WHERE basis = 'students' GROUP BY ALL`,
      );
    } finally {
      warehouse.close();
    }
    const files = await dataFiles(site.dir);
    const itemsFile = files.find((f) => tableOf(f) === "items")!;
    const shown = new Set(
      (await readParquet(itemsFile))
        // All students may be shown from the state's item file: its percent serves as well.
        .filter((row) => !row.suppressed)
        .map((row) => [row.year, row.org_code, row.test, row.student_group].join("|")),
    );
    const cellKey = (s: { year: number; org: string; test: string; group: string }) =>
      [s.year, s.org, s.test, s.group].join("|");

    // Each whole: its parent's students where the parent is shown, and its members' cells.
    const wholes: { name: string; parent: number; members: typeof sizes }[] = [];
    const byTest = groupBy(sizes, (s) => `${s.year}|${s.org}|${s.test}`);
    for (const [key, cells] of byTest) {
      for (const [parent, members] of FAMILIES) {
        const parentCell = cells.find((c) => c.group === parent);
        if (!parentCell || !shown.has(cellKey(parentCell))) continue;
        wholes.push({
          name: `${key}: ${parent} = ${members.join(" + ")}`,
          parent: parentCell.n,
          members: cells.filter((c) => members.includes(c.group)),
        });
      }
    }
    // A group's grades 3 to 8 count, as step 1 shows it, and the group's tests of those grades.
    const achievementFile = files.find((f) => tableOf(f) === "achievement")!;
    for (const row of await readParquet(achievementFile)) {
      if (row.grade !== "03-08" || row.student_group === "all" || row.n_students === null) continue;
      const members = sizes.filter(
        (s) =>
          s.year === row.year &&
          s.org === row.org_code &&
          s.group === row.student_group &&
          /^[A-Z]+-0[3-8]$/.test(s.test) &&
          s.test.startsWith(`${String(row.subject)}-`),
      );
      if (members.length === 0) continue;
      wholes.push({
        name: `${row.year}|${row.org_code}: ${row.subject} ${row.student_group} grades 3-8`,
        parent: Number(row.n_students),
        members,
      });
    }

    // Where the shown members leave some of the parent's students unshown, they must be at least
    // the minimum, and not one member's alone: that member would be known exactly.
    const leaks: string[] = [];
    for (const { name, parent, members } of wholes) {
      const parts = members.reduce((sum, m) => sum + m.n, 0);
      if (parts > parent) continue;
      const hidden = members.filter((m) => !shown.has(cellKey(m)));
      const unshown = parent - (parts - hidden.reduce((sum, m) => sum + m.n, 0));
      if (unshown > 0 && (unshown < minimum || (hidden.length === 1 && parts === parent))) {
        leaks.push(`${name} leaves ${unshown} (${hidden.map((m) => m.test + " " + m.group)})`);
      }
    }
    const grades = wholes.filter((whole) => whole.name.endsWith("grades 3-8")).length;
    expect(leaks).toEqual([]);
    // The sample's student file has groups to check; the real de-identified file has none.
    if (name === "sample") {
      expect(wholes.length).toBeGreaterThan(100);
      expect(grades).toBeGreaterThan(10);
    }
  });
});
