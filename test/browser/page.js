// The library test page's script: the published ES modules (`netpol`, `netpol/manifests`), reached by the package's
// own name (so through package.json `exports`, as a user's bundler reaches it), and
// `survey` put on the page for the test to call.
import * as netpol from "netpol";
import * as reader from "netpol/manifests";
import { survey } from "./survey.ts";
import { threadsSurvey } from "./threads-survey.ts";

globalThis.survey = (text, evaluator) => survey(netpol, reader, text, evaluator);
globalThis.threadsSurvey = () => threadsSurvey(netpol);
