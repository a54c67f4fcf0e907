package dev.keiryo.engine.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.AtomicFiles;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ExperimentFile;
import dev.keiryo.engine.api.experiment.Mappers;
import dev.keiryo.engine.api.run.RunFiles;
import dev.keiryo.engine.api.run.RunState;
import dev.keiryo.engine.api.run.RunStatus;
import dev.keiryo.engine.io.AtomicWrite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * One run folder. Every file is written atomically, so a reader sees each file either whole or not
 * at all; whether the run as a whole finished is told only by status.json saying "completed".
 */
public final class Run implements AutoCloseable {

    public static final String EXPERIMENT_FILE = RunFiles.EXPERIMENT;
    public static final String STATUS_FILE = "status.json";
    public static final String PROVENANCE_FILE = "provenance.json";
    public static final String MODELS_DIR = "models";
    public static final String CHECKPOINTS_DIR = "checkpoints";

    private final Path dir;
    private final Clock clock;
    private MetricsLog metrics;
    private RunLock lock;

    Run(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    public Path dir() {
        return dir;
    }

    /** The folder name, {@code yyyyMMdd-HHmmss-name[-n]}. */
    public String id() {
        return dir.getFileName().toString();
    }

    /**
     * The path of {@code file} inside this run.
     *
     * @throws IllegalArgumentException if {@code file} would lead outside the run folder
     */
    public Path file(String file) {
        Path resolved = dir.resolve(file).normalize();
        if (file.isBlank()
                || Path.of(file).isAbsolute()
                || !resolved.startsWith(dir.normalize())
                || resolved.equals(dir.normalize())) {
            throw new IllegalArgumentException("not a file inside the run folder: " + file);
        }
        return resolved;
    }

    public void writeJson(String file, Object value) {
        write(file, Mappers.json(), value);
    }

    /**
     * Reads a JSON list this run wrote, e.g. variants.json.
     *
     * @throws KeiryoException if the file is missing or not such a list
     */
    public <T> java.util.List<T> readJsonList(String file, Class<T> element) {
        Path f = file(file);
        try {
            return Mappers.json()
                    .readValue(
                            f.toFile(),
                            Mappers.json().getTypeFactory().constructCollectionType(java.util.List.class, element));
        } catch (IOException e) {
            throw new KeiryoException(f + ": cannot be read (" + e.getMessage() + "); the run may be incomplete.", e);
        }
    }

    /**
     * Reads a JSON file this run wrote, e.g. progress.json.
     *
     * @throws KeiryoException if the file is missing or does not hold a {@code type}
     */
    public <T> T readJson(String file, Class<T> type) {
        Path f = file(file);
        try {
            return Mappers.json().readValue(f.toFile(), type);
        } catch (IOException e) {
            throw new KeiryoException(f + ": cannot be read (" + e.getMessage() + "); the run may be incomplete.", e);
        }
    }

    public void writeYaml(String file, Object value) {
        write(file, Mappers.yaml(), value);
    }

    public void writeText(String file, String text) {
        AtomicFiles.write(file(file), text.getBytes(StandardCharsets.UTF_8));
    }

    /** Stores the experiment as run, the file that {@link RunStore#open(Path)} reads back. */
    public void writeExperiment(Experiment experiment) {
        ExperimentFile.write(experiment, file(EXPERIMENT_FILE));
    }

    /** Reads back the stored experiment. */
    public Experiment experiment() {
        return ExperimentFile.read(file(EXPERIMENT_FILE));
    }

    /** The recorded status, or empty if the run never started or its status.json is unreadable. */
    public Optional<RunStatus> status() {
        return readStatus(dir);
    }

    public RunState state() {
        return status().map(RunStatus::state).orElse(RunState.INCOMPLETE);
    }

    /**
     * Makes this process the one that runs the run, until {@link #close()}; then removes what
     * writes killed in an earlier process left half-done. Idempotent.
     *
     * @throws KeiryoException if another live process runs it
     */
    public synchronized void claim() {
        if (lock == null) {
            lock = RunLock.acquire(dir);
            removeUnfinishedWrites(dir);
        }
    }

    /** Records that the run started or resumed; clears any earlier end. Claims the run first. */
    public synchronized boolean markRunning() {
        claim();
        writeStatus(new RunStatus(RunState.RUNNING, now(), null, null, pid(), null));
        return true;
    }

    /**
     * Records success with a free-form {@code summary} (any object Jackson can serialize, or null).
     *
     * @return false, changing nothing, if the run had already ended
     */
    public synchronized boolean markCompleted(Object summary) {
        JsonNode tree = summary == null ? null : Mappers.json().valueToTree(summary);
        return end(RunState.COMPLETED, null, tree);
    }

    /** Records failure; returns false, changing nothing, if the run had already ended. */
    public synchronized boolean markFailed(String message) {
        return end(RunState.FAILED, message, null);
    }

    /**
     * Records cancellation; returns false, changing nothing, if the run had already ended, so that
     * a shutdown hook firing after completion cannot turn a completed run into a cancelled one.
     */
    public synchronized boolean markCancelled() {
        return end(RunState.CANCELLED, "cancelled", null);
    }

    /** The run's metrics log, opened on first use and closed by {@link #close()}. */
    public synchronized MetricsLog metrics() {
        if (metrics == null) {
            metrics = new MetricsLog(dir, clock);
        }
        return metrics;
    }

    /** The folder for final models, created if needed. */
    public Path models() {
        return subfolder(MODELS_DIR);
    }

    /** The folder for checkpoints, created if needed. */
    public Path checkpoints() {
        return subfolder(CHECKPOINTS_DIR);
    }

    /** Closes the metrics log and lets go of the run; the status is left as last marked. */
    @Override
    public synchronized void close() {
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    private static void removeUnfinishedWrites(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir, 3)) {
            for (Path f : files.filter(AtomicWrite::isTemporary).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // Leftovers only take space; the run itself is sound.
        }
    }

    static Optional<RunStatus> readStatus(Path dir) {
        Path file = dir.resolve(STATUS_FILE);
        try {
            return Optional.ofNullable(Mappers.json().readValue(Files.readAllBytes(file), RunStatus.class))
                    .filter(s -> s.state() != null)
                    .map(s -> s.state() == RunState.RUNNING && !alive(dir, s) ? killed(s) : s);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // Atomic writes make this rare (a file edited by hand); such a run is not trustworthy.
            return Optional.empty();
        }
    }

    /** A running status is alive while its process holds the run's lock (or, without one, while its pid lives). */
    private static boolean alive(Path dir, RunStatus s) {
        Boolean held = RunLock.held(dir);
        if (held != null) {
            return held;
        }
        return s.pid() != null
                && ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    private static RunStatus killed(RunStatus s) {
        return new RunStatus(
                RunState.KILLED,
                s.startedAt(),
                null,
                "the process that ran it" + (s.pid() == null ? "" : " (pid " + s.pid() + ")")
                        + " ended without recording an end: it was killed, or the machine stopped; resume it with"
                        + " keiryo train --resume",
                s.pid(),
                null);
    }

    private boolean end(RunState state, String message, JsonNode summary) {
        Optional<RunStatus> current = status();
        if (current.isPresent() && current.get().state().terminal()) {
            return false;
        }
        String startedAt = current.map(RunStatus::startedAt).orElse(null);
        writeStatus(new RunStatus(state, startedAt, now(), message, pid(), summary));
        return true;
    }

    private void writeStatus(RunStatus status) {
        writeJson(STATUS_FILE, status);
    }

    private void write(String file, ObjectMapper mapper, Object value) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot serialize " + value.getClass().getName() + " for " + file, e);
        }
        AtomicFiles.write(file(file), bytes);
    }

    private Path subfolder(String name) {
        Path sub = dir.resolve(name);
        try {
            return Files.createDirectories(sub);
        } catch (IOException e) {
            throw new KeiryoException(
                    sub + ": cannot be created (" + e + "); check free disk space and permissions.", e);
        }
    }

    private String now() {
        return clock.instant().toString();
    }

    private static long pid() {
        return ProcessHandle.current().pid();
    }
}
