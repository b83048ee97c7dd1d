import { describe, expect, it } from "vitest";
import { studentGroupFromFileName, studentGroupOf } from "../../loaders/ingest/groups.ts";
import { splitSchoolName } from "../../loaders/ingest/formats/profile-export.ts";
import {
  decodeText,
  detectDelimiter,
  parseCount,
  parseDecimal,
  parseOrgCode,
  parsePercent100,
} from "../../loaders/ingest/text.ts";
import { chooseYear, gradeFromFileName, yearFromFileName } from "../../loaders/ingest/years.ts";
import { percentHalfUp, roundHalfUp } from "../../loaders/rounding.ts";

describe("decodeText", () => {
  it("strips a UTF-8 byte-order mark", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("School Name")]);
    expect(decodeText(bytes)).toEqual({ text: "School Name", encoding: "utf-8 with BOM" });
  });

  it("reads Windows-1252 when the bytes are not UTF-8", () => {
    // "Pérez" with é as the single byte 0xE9, as Excel on Windows saves it.
    const bytes = new Uint8Array([0x50, 0xe9, 0x72, 0x65, 0x7a]);
    expect(decodeText(bytes)).toEqual({ text: "Pérez", encoding: "windows-1252" });
  });

  it("reads Windows-1252's bytes 0x80 to 0x9F as its characters, not as Latin-1 controls", () => {
    // One byte per character, as Excel on Windows saves them: an en dash (0x96), a euro sign,
    // curly quotes, an em dash, and 0x81, which Windows-1252 leaves unassigned (U+FFFD).
    const text = "Caf\xe9 Sch\xf6ol \x96 Nu\xf1ez \x80\x91\x92\x93\x94\x97\x81";
    const bytes = Buffer.from(text, "latin1");
    expect(decodeText(bytes)).toEqual({
      text: "Café Schöol \u2013 Nuñez \u20ac\u2018\u2019\u201c\u201d\u2014\ufffd",
      encoding: "windows-1252",
    });
  });
});

describe("detectDelimiter", () => {
  it("picks the delimiter the header uses most", () => {
    expect(detectDelimiter("School Name;School Code;Subject")).toBe(";");
    expect(detectDelimiter("School Name,School Code,Subject")).toBe(",");
    expect(detectDelimiter("a\tb\tc")).toBe("\t");
  });
});

describe("parseCount", () => {
  it("reads padded counts with thousands separators", () => {
    expect(parseCount("     165,044")).toEqual({ ok: true, value: 165044 });
    expect(parseCount("  1,234,567 ")).toEqual({ ok: true, value: 1234567 });
    expect(parseCount("         240")).toEqual({ ok: true, value: 240 });
  });

  it("keeps a blank cell as missing, not zero", () => {
    expect(parseCount("")).toEqual({ ok: true, value: null });
    expect(parseCount(" ")).toEqual({ ok: true, value: null });
    expect(parseCount("NA")).toEqual({ ok: true, value: null });
    expect(parseCount("--")).toEqual({ ok: true, value: null });
  });

  it("keeps a suppressed cell apart from a missing one", () => {
    expect(parseCount("*")).toEqual({ ok: true, value: null, withheld: true });
    expect(parseDecimal("Insufficient data")).toEqual({ ok: true, value: null, withheld: true });
    expect(parsePercent100(" * ")).toEqual({ ok: true, value: null, withheld: true });
  });

  it("refuses what is not a whole number", () => {
    expect(parseCount("12.5").ok).toBe(false);
    expect(parseCount("abc").ok).toBe(false);
    expect(parseCount("12,34").ok).toBe(false);
  });
});

describe("parseDecimal and parsePercent100", () => {
  it("reads decimals and percents on the 0 to 100 scale", () => {
    expect(parseDecimal("     473.6")).toEqual({ ok: true, value: 473.6 });
    expect(parsePercent100("99")).toEqual({ ok: true, value: 99 });
    expect(parsePercent100("41%")).toEqual({ ok: true, value: 41 });
  });

  it("refuses a percent above 100", () => {
    expect(parsePercent100("101").ok).toBe(false);
  });
});

describe("parseOrgCode", () => {
  it("restores leading zeros and recognises the state", () => {
    expect(parseOrgCode("4830305")).toEqual({ ok: true, value: "04830305" });
    expect(parseOrgCode("04830305")).toEqual({ ok: true, value: "04830305" });
    expect(parseOrgCode("0")).toEqual({ ok: true, value: "00000000" });
  });

  it("refuses codes that are not up to 8 digits", () => {
    expect(parseOrgCode("0483-0305").ok).toBe(false);
    expect(parseOrgCode("123456789").ok).toBe(false);
  });
});

describe("file name conventions", () => {
  it("reads the year, not the digits of an organisation code", () => {
    expect(yearFromFileName("ma_mcas_2022_item_analysis_by_grade_subject.xlsx")).toBe(2022);
    expect(yearFromFileName("scores_04830305.csv")).toBeUndefined();
  });

  it("prefers --year and warns when the name disagrees", () => {
    expect(chooseYear("x_2022.xlsx", undefined)).toEqual({ year: 2022, origin: "file name" });
    const chosen = chooseYear("x_2022.xlsx", 2023);
    expect(chosen?.year).toBe(2023);
    expect(chosen?.origin).toBe("--year");
    expect(chosen?.warning).toMatch(/file name says 2022/);
  });

  it("reads grade spans", () => {
    expect(gradeFromFileName("ma_mcas_2022_gr3-8_schools_el.csv")).toBe("03-08");
    expect(gradeFromFileName("ma_mcas_2022_gr5_schools_all_students.csv")).toBe("05");
    expect(gradeFromFileName("ma_mcas_2022_item_analysis.xlsx")).toBeUndefined();
  });

  it("reads the student group", () => {
    expect(studentGroupFromFileName("ma_mcas_2022_gr3-8_schools_all_students.csv")).toBe("all");
    expect(studentGroupFromFileName("ma_mcas_2022_gr3-8_schools_high_needs.csv")).toBe(
      "high_needs",
    );
    expect(studentGroupFromFileName("ma_mcas_2022_gr3-8_schools_el.csv")).toBe("el");
    expect(studentGroupFromFileName("ma_mcas_2022_gr3-8_schools_swd.csv")).toBe("swd");
  });
});

describe("studentGroupOf", () => {
  it("maps the labels of the state's files to group codes", () => {
    expect(studentGroupOf("afr.american/black")).toBe("black");
    expect(studentGroupOf("students with disabilities")).toBe("swd");
    expect(studentGroupOf("hispanic/latino")).toBe("hispanic");
    expect(studentGroupOf("low-income")).toBe("low_income");
    expect(studentGroupOf("ALL")).toBe("all");
    expect(studentGroupOf("martians")).toBeUndefined();
  });
});

describe("splitSchoolName", () => {
  it("splits district and school", () => {
    expect(splitSchoolName("Abington - Abington Middle School")).toEqual({
      district: "Abington",
      school: "Abington Middle School",
    });
  });

  it("keeps a charter district whose own name holds a dash", () => {
    expect(
      splitSchoolName(
        "Community Day Charter Public School - Gateway (District) - " +
          "Community Day Charter Public School - Gateway",
      ),
    ).toEqual({
      district: "Community Day Charter Public School - Gateway (District)",
      school: "Community Day Charter Public School - Gateway",
    });
  });
});

describe("percentHalfUp", () => {
  it("rounds exact halves up, on the counts", () => {
    expect(percentHalfUp(1, 8)).toBe(13); // 12.5
    expect(percentHalfUp(29, 200)).toBe(15); // 14.5, which floating point computes as 14.4999...
    expect(percentHalfUp(1, 3, 1)).toBe(33.3);
    expect(percentHalfUp(0, 5)).toBe(0);
  });

  it("refuses fractional counts", () => {
    expect(() => percentHalfUp(1.5, 3)).toThrow(RangeError);
  });
});

describe("roundHalfUp", () => {
  it("rounds halves away from zero", () => {
    expect(roundHalfUp(2.5)).toBe(3);
    expect(roundHalfUp(-2.5)).toBe(-3);
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
  });
});
