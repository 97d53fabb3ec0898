#!/usr/bin/env node
// Stable entry for the `hookline` bin: exists before the first build, so npm links it on install.
import "../dist/cli.js";
