import type { OrgDefinition } from "./district.ts";
import { PLANTED } from "./district.ts";
import type { Form, FormItem } from "./forms.ts";
import { divideHalfUp } from "./profile.ts";
import type { Random } from "./random.ts";

/**
 * A school's results on one form: its percent of possible points on each item next to the
 * state's, as whole percents (the workbooks show them as fractions with two decimals).
 */
export interface ItemResult {
  item: FormItem;
  orgPct: number;
  statePct: number;
  /** For an item of the planted weakness: the school's percents that keep it in the band. */
  band?: { min: number; max: number };
}

// Ordinary items sit near the state: the school's overall level plus noise, never more than 11
// points away, so that the planted weakness (12 to 20 points below) stands out.
const ITEM_NOISE_SD = 4.5;
const MAX_ORDINARY_GAP = 11;
const MAX_SCHOOL_OFFSET = 5;
const MILD_GAP = [5, 11] as const;

export function scoreForm(form: Form, school: OrgDefinition, random: Random): ItemResult[] {
  const weak = PLANTED.weakCategory;
  const isWeakTest =
    school.code === weak.schoolCode &&
    form.subject === weak.subject &&
    (weak.grades as readonly number[]).includes(form.grade) &&
    (weak.years as readonly number[]).includes(form.year);
  // A school a few scaled-score points above the state is a few percentage points above it too.
  const offset = clamp(Math.round(0.4 * school.effect[form.subject]), MAX_SCHOOL_OFFSET);

  // On the weak test, a fixed share of the category's items is in the planted band.
  const weakItems = isWeakTest ? form.items.filter((item) => item.category === weak.category) : [];
  const mildCount = Math.round((1 - weak.itemShare) * weakItems.length);
  const mild = new Set(random.shuffle(weakItems).slice(0, mildCount));

  const results = form.items.map((item): ItemResult => {
    if (item.role === "essay") return { item, orgPct: 0, statePct: 0 };
    let gap: number;
    let band: ItemResult["band"];
    if (isWeakTest && item.category === weak.category) {
      const { min, max } = weak.belowState;
      gap = mild.has(item) ? -random.int(...MILD_GAP) : -random.int(min, max);
      if (!mild.has(item)) band = { min: item.statePct - max, max: item.statePct - min };
    } else {
      gap = clamp(offset + Math.round(random.normal(0, ITEM_NOISE_SD)), MAX_ORDINARY_GAP);
    }
    return {
      item,
      orgPct: Math.min(99, Math.max(1, item.statePct + gap)),
      statePct: item.statePct,
      ...(band ? { band } : {}),
    };
  });

  // A whole essay's value is its traits' values weighted by their points.
  for (const result of results) {
    if (result.item.role !== "essay") continue;
    const traits = results.filter(
      (r) => r.item.role === "trait" && r.item.essay === result.item.id,
    );
    const points = traits.reduce((sum, trait) => sum + trait.item.points, 0);
    const weighted = (pick: (r: ItemResult) => number) =>
      divideHalfUp(
        traits.reduce((sum, trait) => sum + trait.item.points * pick(trait), 0),
        points,
      );
    result.orgPct = weighted((r) => r.orgPct);
    result.statePct = weighted((r) => r.statePct);
  }
  return results;
}

function clamp(value: number, limit: number): number {
  return Math.min(limit, Math.max(-limit, value));
}
