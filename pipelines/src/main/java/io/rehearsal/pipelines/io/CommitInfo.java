package io.rehearsal.pipelines.io;

/** What one write left behind: the table path and the Delta version it committed. */
public record CommitInfo(String path, long version) {}
