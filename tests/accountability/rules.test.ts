import { describe, expect, it } from "vitest";
import { RULES, renderRulesTable, settingDefault } from "../../loaders/accountability/rules.ts";
import { DEFAULT_SETTINGS } from "../../loaders/settings.ts";

describe("RULES", () => {
  it("gives every rule its own id", () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("lists every accountability setting, and only settings that exist", () => {
    const listed = RULES.flatMap((rule) =>
      rule.setting && !rule.setting.policyDefault ? [rule.setting.key] : [],
    ).sort();
    const existing = (["ayp", "ppi", "essa"] as const)
      .flatMap((group) => Object.keys(DEFAULT_SETTINGS[group]).map((key) => `${group}.${key}`))
      .sort();
    expect(listed).toEqual(existing);
  });

  it("gives a setting to every rule of status setting, and to no other", () => {
    const mismatched = RULES.filter((rule) => (rule.status === "setting") !== !!rule.setting);
    expect(mismatched.map((rule) => rule.id)).toEqual([]);
  });
});

describe("settingDefault(setting)", () => {
  it("reads the default from the settings, or the policy's description", () => {
    expect(settingDefault({ key: "ayp.errorBand" })).toBe("2.5");
    expect(settingDefault({ key: "ppi.extraCredit" })).toBe('"relative"');
    expect(settingDefault({ key: "x", policyDefault: "baseline + 1" })).toBe("baseline + 1");
    expect(() => settingDefault({ key: "ayp.missing" })).toThrow("rules: no setting ayp.missing");
  });
});

describe("renderRulesTable(rules)", () => {
  it("renders one row per rule under a header", () => {
    const lines = renderRulesTable().trimEnd().split("\n");
    expect(lines.length).toBe(RULES.length + 2);
    expect(lines[0]).toBe("| Rule | Era | Status | Setting (default) | domain.md | Source |");
    expect(lines).toContain(
      "| Error band (Yes/EB): CPI points under the improvement target that still meet it | AYP | " +
        "setting | `ayp.errorBand` (2.5) | §3.1 | 2003 glossary: bands over 2.5 unlikely |",
    );
  });

  it("escapes a pipe inside a cell", () => {
    const table = renderRulesTable([
      {
        id: "x",
        era: "CPI",
        description: "a | b",
        status: "confirmed",
        section: "2",
        source: "s",
      },
    ]);
    expect(table.split("\n")[2]).toBe("| a \\| b | CPI | confirmed |  | §2 | s |");
  });
});
