/**
 * Clinical reference levels drawn on the explorer plots. One place, so plots, dose criteria and
 * reports agree.
 */

/** PD biomarker level (ng/mL) below which the biomarker counts as suppressed. */
export const PD_SUPPRESSION_THRESHOLD = 3.3;
