/**
 * A deploy that failed once, at any step from the ECR login to the smoke check, finishes when run
 * again (support/rerun-cases.ts; rerun-until-build.test.ts has the earlier steps).
 */
import { describeRerunCases, STEPS_FROM_PUSH } from "./support/rerun-cases.js";

describeRerunCases(STEPS_FROM_PUSH);
