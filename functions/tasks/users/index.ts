export { resetDailyLimit } from "./reset-daily-limit.ts";
export { resetAllDailyLimits } from "./reset-all-daily-limits.ts";
export { updateStatistics } from "./update-statistics.ts";
export { calculateTier } from "./calculate-tier.ts";
