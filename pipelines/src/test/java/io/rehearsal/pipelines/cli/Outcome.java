package io.rehearsal.pipelines.cli;

/** What a bin/rehearsal run left behind. */
record Outcome(int exitCode, String stdout, String stderr) {}
