import { parseEnvOrExit } from "../app/env.server";
import { startPlatform, stopOnSignals } from "./platform";

// `npm start` runs web and worker together; --web or --worker runs one of them.
const env = parseEnvOrExit();
const args = new Set(process.argv.slice(2));
const only = args.has("--web") !== args.has("--worker");
const platform = await startPlatform({
  web: !only || args.has("--web"),
  worker: !only || args.has("--worker"),
  port: env.PORT,
});
stopOnSignals(platform);
if (platform.url) console.log(`Inkwell is running at ${env.APP_URL}`);
