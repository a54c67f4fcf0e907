package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.run.RunFiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a run-producing command writes its run folder and how it reports progress. */
final class RunOutput {
    @Option(names = "--runs", paramLabel = "DIR", description = "Where run folders go (default: ./runs).")
    Path runs = RunFiles.DEFAULT_ROOT;

    @Option(names = "--json", description = "Write JSON lines (events, then the result) instead of progress text.")
    boolean json;
}
