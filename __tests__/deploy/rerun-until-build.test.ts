/**
 * A deploy that failed once, at any step from the tool checks to the image build, finishes when run
 * again (support/rerun-cases.ts; rerun-from-push.test.ts has the rest, so both workers share them).
 */
import { describeRerunCases, STEPS_UNTIL_BUILD } from "./support/rerun-cases.js";

describeRerunCases(STEPS_UNTIL_BUILD);
