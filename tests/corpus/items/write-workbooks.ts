/**
 * Writes the small .xlsx files of this folder, each a hand-made copy of a real item format with
 * one quirk; tests/ingest/item-formats.test.ts says what pim must make of each. Run it after
 * changing a file's content: npx tsx tests/corpus/items/write-workbooks.ts
 */
import { join } from "node:path";
import ExcelJS from "exceljs";

type Cell = ExcelJS.CellValue;

const DIR = import.meta.dirname;
// Fixed dates keep the workbooks' own properties from changing each time they are written.
const DATE = new Date("2024-01-01T00:00:00Z");

async function write(name: string, fill: (workbook: ExcelJS.Workbook) => void): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = DATE;
  workbook.modified = DATE;
  fill(workbook);
  await workbook.xlsx.writeFile(join(DIR, name));
}

function addRows(sheet: ExcelJS.Worksheet, rows: Cell[][], first = 1): void {
  rows.forEach((values, index) => {
    const row = sheet.getRow(first + index);
    values.forEach((value, column) => {
      if (value !== undefined) row.getCell(column + 1).value = value;
    });
  });
}

const STATEWIDE_HEADER = (kind: string) => [
  `${kind} Name`,
  `${kind} Code`,
  "Subject",
  "Tested",
  "Part. Rate %",
];

/** A statewide district report saved without its title row: the header is row 1. */
await write("statewide_2022_physics_district_no_title.xlsx", (workbook) => {
  const sheet = workbook.addWorksheet("Next Generation MCAS Test Item");
  addRows(sheet, [
    [...STATEWIDE_HEADER("District"), "1", "2", "3"],
    ["Alpha (District)", "01230000", "36", "      25", "", 80, 45, null],
    ["Beta", "04560000", "36", "   1,204", "", 70, "*", 66],
    ["State", "00000000", "36", "  13,812", "", 75, 50, 60],
  ]);
});

/** A statewide school report with a percent of 140 in it. */
await write("statewide_2022_physics_school_pct140.xlsx", (workbook) => {
  const sheet = workbook.addWorksheet("Items");
  addRows(sheet, [
    ["2022 Next Generation MCAS Test Item Analysis "],
    [...STATEWIDE_HEADER("School"), "1", "2"],
    ["Alpha High", "01230505", "36", "      30", "", 140, 50],
    ["Beta High", "04560505", "36", "      40", "", 60, 55],
  ]);
});

/**
 * An IT301 export as Edwin lays it out (banner, merged cells, spacer columns), with `district`
 * in its banner, and no footer: the items end the sheet.
 */
function writeIt301(workbook: ExcelJS.Workbook, district: string): void {
  const sheet = workbook.addWorksheet("IT301 MCAS District and School ");
  const merge = (range: string, value: Cell) => {
    sheet.getCell(range.split(":")[0]!).value = value;
    sheet.mergeCells(range);
  };
  merge("T2:V4", { text: "Contact Us", hyperlink: "https://massgov.service-now.com/eoe" });
  merge(
    "H3:O6",
    "IT301 MCAS District and School Test Item Analysis Summary\n" +
      "Spring 2022 MCAS HS Introductory Physics HS (09,10)\nAll Students",
  );
  merge("Q6:W8", `District: ${district}\nSchool: All Schools`);
  merge("D13:Y13", "All Students: 25   Standards: MA 2016 Standards  ");
  merge("D14:R14", "Item Information");
  merge("S14:Y14", "% Possible Points");
  const rows: Cell[][] = [
    [
      "Item No.",
      "Item Type",
      "Reporting Category",
      "Standard",
      "Item Description",
      "Standard of Practice",
      "Possible Points",
      "District",
      "**State",
      "District-State Diff.",
    ],
    ["1", "SR", "MF", "HS.PHY.2.10", "Analyze a graph.", "C. Evidence", 1, 0.87, 0.86, 1],
    ["2", "CR", "EN", "HS.PHY.3.1", "Explain energy.", "None", 4, 0.23, 0.34, -11],
    [
      "3",
      "SR",
      "WA",
      "HS.PHY.4.1",
      "Compare waves.",
      "B. Mathematics and Data",
      1,
      "*",
      0.61,
      null,
    ],
  ];
  // Each value sits at the start of its merge, as in the real export; R and U are single cells.
  const starts = ["D", "F", "I", "K", "M", "O", "R", "S", "U", "V"];
  const ends = ["E", "H", "J", "L", "N", "Q", "R", "T", "U", "Y"];
  rows.forEach((values, index) => {
    const row = 15 + index;
    values.forEach((value, column) => {
      const range = `${starts[column]}${row}:${ends[column]}${row}`;
      if (starts[column] === ends[column]) sheet.getCell(`${starts[column]}${row}`).value = value;
      else merge(range, value);
    });
  });
}

await write("it301_2022_physics_no_footer.xlsx", (workbook) =>
  writeIt301(workbook, "Alpha Charter (District) (01230000)"),
);

/** The same export with a banner that names its district without the code. */
await write("it301_2022_physics_name_only.xlsx", (workbook) =>
  writeIt301(workbook, "Rising Tide Charter Public (District)"),
);

const TEMPLATE_HEADER = [
  "Item Number",
  "Reporting Category",
  "2017 MA Curriculum Framework",
  "Item Type",
  "Item Description",
  "Correct Answer ",
  "Release Status",
  "Max Points ",
  "School Average Points",
  "District Average Points",
  "State Average Points",
  "School Percent Possible",
  "District Percent Possible",
  "State Percent Possible",
  "School - State Diff.",
];

/**
 * Template rows: the item's cells up to its points, then the school's, district's and state's
 * average points; percent possible and the difference are formulas with cached results.
 */
function templateRows(items: Cell[][], releaseStatus: boolean): Cell[][] {
  const letter = (index: number) => String.fromCharCode(65 + index);
  const points = releaseStatus ? 7 : 6;
  return items.map((item, index) => {
    const row = 3 + index;
    const max = item[points] as number;
    const averages = item.slice(points + 1) as number[];
    const percents = averages.map((average, at) => ({
      formula: `${letter(points + 1 + at)}${row}/${letter(points)}${row}`,
      result: Math.round((average / max) * 1e10) / 1e10,
    }));
    const diff = {
      formula: `(${letter(points + 4)}${row}-${letter(points + 6)}${row})*100`,
      result: Math.round((averages[0]! / max - averages[2]! / max) * 100 * 1e8) / 1e8,
    };
    return [...item, ...percents, diff] as Cell[];
  });
}

/** A template of grade 5 and grade 10 (whose sheet has no Release Status), and a notes sheet. */
await write("template_2023_math_no_release_status.xlsx", (workbook) => {
  const grade5 = workbook.addWorksheet("Grade 5");
  grade5.getCell("I1").value = ".CSV FILE";
  grade5.mergeCells("I1:J1");
  addRows(
    grade5,
    [
      TEMPLATE_HEADER,
      ...templateRows(
        [
          [
            "01",
            "Number and Operations-Fractions",
            "5.NF.B.5",
            "SR",
            "Multiply.",
            "B",
            "Released",
            1,
            0.75,
            0.75,
            0.6,
          ],
          ["02", "Geometry", "5.G.A.2", "SA", "Graph points.", "", "Released", 2, 1.25, 1.25, 1.1],
          [
            "03",
            "Measurement and Data",
            "5.MD.C.5",
            "SR",
            "Find a volume.",
            "",
            "Not Released",
            1,
            0.5,
            0.5,
            0.55,
          ],
        ],
        true,
      ),
      ["Total Points", "", "", "", "", "", "", 4, 2.5, 2.5, 2.25],
      [],
      ["Released Item Answer Key (available summer 2023):"],
      [],
      ["Grade 5 Reporting Category Subtotals", "", "", "", "", "", "", "Max Points "],
      ["Category 1", "Geometry", "", "", "", "", "", 2, 1.25, 1.25, 1.1],
    ],
    2,
  );
  const grade10 = workbook.addWorksheet("Grade 10");
  grade10.getCell("H1").value = ".CSV FILE";
  grade10.mergeCells("H1:I1");
  addRows(
    grade10,
    [
      TEMPLATE_HEADER.filter((header) => header !== "Release Status"),
      ...templateRows(
        [
          [
            29,
            "Algebra and Functions",
            "F-LE.B.5",
            "SR",
            "Compare functions.",
            "C, D",
            1,
            0.25,
            0.25,
            0.37,
          ],
          [23, "Algebra and Functions", "F-BF.A.2", "CR", "Model a sequence.", "", 4, 2.5, 2.5, 2],
          [17, "Number and Quantity", "N-RN.A.2", "SR", "Use exponents.", "A", 1, 1, 1, 0.46],
        ],
        false,
      ),
      ["Total Points", "", "", "", "", "", 6, 3.75, 3.75, 2.83],
    ],
    2,
  );
  addRows(workbook.addWorksheet("Reporting Categories2023"), [
    ["2023 MCAS next-generation Reporting Categories"],
    ["", "Subject", "Grades", "Reporting Category Number", "Item Group"],
  ]);
});
