/**
 * Percentages computed from counts, rounded as the state rounds them: half up, on the exact
 * counts. Working on integers avoids binary floating point, where 100 * 29 / 200 = 14.499999...
 * would round the wrong way.
 */
export function percentHalfUp(count: number, total: number, decimals = 0): number {
  if (!Number.isInteger(count) || !Number.isInteger(total) || total <= 0 || count < 0) {
    throw new RangeError(
      `percentHalfUp needs whole counts and a positive total: ${count}/${total}`,
    );
  }
  const scale = 10 ** decimals;
  // floor((2 * 100 * scale * count + total) / (2 * total)) is round-half-up of 100*scale*count/total.
  const scaled = Math.floor((200 * scale * count + total) / (2 * total));
  return scaled / scale;
}

/** Rounds half up (away from zero for negatives, as Excel and the state's reports do). */
export function roundHalfUp(value: number, decimals = 0): number {
  const scale = 10 ** decimals;
  // The small nudge absorbs binary representation error: 1.005 is stored as 1.00499999...
  const scaled = Math.abs(value) * scale * (1 + Number.EPSILON * 4);
  return (Math.sign(value) * Math.round(scaled)) / scale;
}
