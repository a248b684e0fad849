// Townhall's progressive enhancements. Every page works without this file.
import { initAll } from "./govuk-frontend.min.js";

initAll();
