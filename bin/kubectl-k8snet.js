#!/usr/bin/env node
// kubectl finds plugins on PATH by name: `kubectl k8snet ...` runs this, with the same CLI.
import '../dist/cli.js';
