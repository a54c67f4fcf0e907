package dev.keiryo.engine.experiment;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.ExperimentChecks;
import dev.keiryo.engine.api.run.RunInfo;
import dev.keiryo.engine.api.run.RunState;
import dev.keiryo.engine.api.run.RunStatus;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder holding all runs, one subfolder each, named {@code yyyyMMdd-HHmmss-name} so that
 * they sort by start time. A run folder is never reused: each run gets a new one.
 */
public final class RunStore {

    /** Relative to the working directory. */
    public static final Path DEFAULT_ROOT = dev.keiryo.engine.api.run.RunFiles.DEFAULT_ROOT;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** The names {@link #create} gives: stamp, run name, and a suffix when the second was taken. */
    private static final java.util.regex.Pattern RUN_FOLDER =
            java.util.regex.Pattern.compile("\\d{8}-\\d{6}-[A-Za-z0-9._-]{1,64}(-\\d+)?");

    private static final int MAX_SAME_SECOND = 10_000;

    private final Path root;
    private final Clock clock;

    // Run folders are named in the user's own local time, as the files around them are.
    @SuppressWarnings("JavaTimeDefaultTimeZone")
    public RunStore(Path root) {
        this(root, Clock.systemDefaultZone());
    }

    RunStore(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    public Path root() {
        return root;
    }

    /**
     * Creates a new, empty run folder {@code <root>/<yyyyMMdd-HHmmss>-<name>}, adding -2, -3, ...
     * if that name is taken. Safe against other processes creating runs at the same moment.
     *
     * @throws KeiryoException if the name is not allowed or the folder cannot be created
     */
    public Run create(String name) {
        if (name == null || !ExperimentChecks.NAME.matcher(name).matches()) {
            throw new KeiryoException(
                    "run name \"" + name + "\" is not allowed; use 1 to 64 letters, digits, '.', '_' or '-'.");
        }
        String base = clock.instant().atZone(clock.getZone()).format(STAMP) + "-" + name;
        try {
            Files.createDirectories(root);
            for (int n = 1; n <= MAX_SAME_SECOND; n++) {
                Path dir = root.resolve(n == 1 ? base : base + "-" + n);
                try {
                    // createDirectory fails if the folder exists, which makes taking a name atomic.
                    return new Run(Files.createDirectory(dir), clock);
                } catch (FileAlreadyExistsException taken) {
                    // Try the next suffix.
                }
            }
        } catch (IOException e) {
            throw new KeiryoException(
                    root + ": cannot create a run folder (" + e + "); check free disk space and permissions.", e);
        }
        throw new KeiryoException(
                root + ": more than " + MAX_SAME_SECOND + " runs named " + base + " exist; clean up the runs folder.");
    }

    /**
     * Opens an existing run to resume or inspect it: {@code runDir} is a path, or a run id under
     * the root. Reads and validates its experiment.yaml.
     *
     * @throws KeiryoException if the folder or its experiment.yaml is missing or invalid
     */
    public Run open(Path runDir) {
        Path dir = Files.isDirectory(runDir) || runDir.isAbsolute() ? runDir : root.resolve(runDir);
        if (!Files.isDirectory(dir)) {
            throw new KeiryoException(runDir + ": no such run folder (also looked in " + root + "); check the path.");
        }
        Path experiment = dir.resolve(Run.EXPERIMENT_FILE);
        if (!Files.isRegularFile(experiment)) {
            if (RUN_FOLDER.matcher(dir.getFileName().toString()).matches()) {
                throw new KeiryoException(dir + ": this run was stopped before it recorded its "
                        + Run.EXPERIMENT_FILE + ", so nothing was trained and there is nothing to resume; start the"
                        + " run again (this folder can be deleted).");
            }
            throw new KeiryoException(
                    dir + ": has no " + Run.EXPERIMENT_FILE + ", so it is not a Keiryo run folder; check the path.");
        }
        Run run = new Run(dir, clock);
        run.experiment();
        return run;
    }

    /** All run folders, oldest first, with their states; empty if the root does not exist. */
    public List<RunInfo> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<RunInfo> runs = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path dir : entries.sorted(
                            Comparator.comparing(p -> p.getFileName().toString()))
                    .toList()) {
                String id = dir.getFileName().toString();
                if (id.startsWith(".") || !Files.isDirectory(dir)) {
                    continue;
                }
                RunStatus status = Run.readStatus(dir).orElse(null);
                runs.add(new RunInfo(dir, id, status == null ? RunState.INCOMPLETE : status.state(), status));
            }
        } catch (IOException e) {
            throw new KeiryoException(root + ": cannot be listed (" + e + "); check permissions.", e);
        }
        return runs;
    }
}
