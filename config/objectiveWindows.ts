/**
 * The windows the objectives' burn-rate alerts are built on (slo/windows.ts), below the models
 * because validation must know them too: a period whose shortest window cannot hold two scrapes is refused.
 */

/** The error-budget period the workbook's windows are given for; other periods scale them. */
export const REFERENCE_PERIOD_SECONDS = 30 * 86400;
/** The short window of the fastest tier: the shortest window any SLO rule reads. */
export const SHORTEST_BURN_WINDOW_SECONDS = 300;
