package dev.keiryo.engine.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keiryo.engine.api.experiment.ExperimentFile;
import dev.keiryo.engine.api.run.RunInfo;
import dev.keiryo.engine.api.run.RunState;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.compress.pack.PackReader;
import dev.keiryo.engine.experiment.RunStore;
import dev.keiryo.engine.io.AtomicWrite;
import dev.keiryo.engine.model.ModelIO;
import dev.keiryo.engine.variant.VariantStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Starts {@code keiryo} commands as child JVMs on tiny data, stops them with SIGKILL or SIGTERM at
 * seeded random moments, and checks what each leaves behind: a run folder that reads as whole, and
 * a {@code --resume} that finishes it (with the same model as an uninterrupted run where training
 * is deterministic).
 */
public final class KillHarness {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATA = "--source sample --limit-train 400";

    /** How the process is stopped: SIGKILL (nothing runs after it) or SIGTERM (Ctrl-C's clean stop). */
    public enum Signal {
        KILL,
        TERM
    }

    /**
     * A command as typed after {@code keiryo}; {@code {runs}}, {@code {model}} and {@code {out}}
     * are filled in per kill point. {@code sameModel}: a resumed run must end with exactly the
     * uninterrupted run's weights (single-worker training, which is deterministic).
     */
    public record Command(String name, String args, boolean sameModel) {
        boolean export() {
            return args.startsWith("export");
        }
    }

    /** What one command's kill points gave. */
    public record Tally(
            String command,
            Signal signal,
            int tried,
            int survived,
            int resumed,
            double seconds,
            List<String> failures) {}

    private static final String TRAIN = "train " + DATA + " --epochs 3 --model mlp --hidden 32 --batch 50"
            + " --no-latency --seed 11 --runs {runs}";

    /** Every command the harness knows, in the order the long form runs them. */
    public static final List<Command> COMMANDS = List.of(
            new Command("train-single", TRAIN, true),
            new Command("train-sync", TRAIN + " --mode sync --workers 2", false),
            new Command("train-async", TRAIN + " --mode async --workers 2", false),
            new Command(
                    "prune-sweep",
                    "prune {model} --mode connection --table --levels 0.5,0.9 --fine-tune-epochs 1 " + DATA
                            + " --runs {runs}",
                    false),
            new Command(
                    "quantize-sweep",
                    "quantize {model} --sweep --sweep-bits 8,4 --no-formats " + DATA + " --runs {runs}",
                    false),
            new Command(
                    "distill",
                    "distill {model} --student mlp --hidden 16 --epochs 2 --compare --seeds 1 " + DATA
                            + " --runs {runs}",
                    false),
            new Command("export", "export {model} --out {out} --format onnx-int8 --calibration 100", false));

    private final Path work;
    private final long seed;
    private final List<String> log = new ArrayList<>();
    private final java.util.Map<String, Reference> references = new java.util.HashMap<>();
    private Path model;

    public KillHarness(Path work, long seed) {
        this.work = work;
        this.seed = seed;
    }

    /** One line per kill point, for the report. */
    public List<String> log() {
        return List.copyOf(log);
    }

    public static Command command(String name) {
        return COMMANDS.stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no command " + name));
    }

    /**
     * Runs {@code command} once uninterrupted, timing it from the moment its run folder appears;
     * then each {@link Series#next()} stops it with {@code signal} at a seeded moment within that
     * time after its folder appears, and checks what it left.
     */
    public Series series(Command command, Signal signal) throws IOException, InterruptedException {
        Path base = work.resolve(command.name() + "-" + signal.name().toLowerCase(Locale.ROOT));
        Reference reference = references.get(command.name());
        if (reference == null) {
            Path refDir = work.resolve(command.name() + "-reference");
            Child ref = start(command, refDir);
            long startRef = waitForRun(command, ref);
            int refCode = ref.process.waitFor();
            long durationMs = (System.nanoTime() - startRef) / 1_000_000;
            if (refCode != 0) {
                throw new IllegalStateException(command.name() + " failed uninterrupted (exit " + refCode + "), see "
                        + refDir.resolve("out.txt"));
            }
            reference = Reference.of(command, refDir, durationMs);
            references.put(command.name(), reference);
        }
        return new Series(
                command,
                signal,
                base,
                reference.durationMs(),
                reference,
                new Random(seed ^ command.name().hashCode() ^ signal.name().hashCode()));
    }

    /** The kill points of one command and signal, tried one at a time so that commands can take turns. */
    public final class Series {
        private final Command command;
        private final Signal signal;
        private final Path base;
        private final long durationMs;
        private final Reference reference;
        private final Random rnd;
        private int tried;
        private int survived;
        private int resumed;
        private double seconds;
        private final List<String> failures = new ArrayList<>();

        private Series(Command command, Signal signal, Path base, long durationMs, Reference reference, Random rnd) {
            this.command = command;
            this.signal = signal;
            this.base = base;
            this.durationMs = durationMs;
            this.reference = reference;
            this.rnd = rnd;
        }

        /** Tries the next kill point; returns its line for the log. */
        public String next() throws IOException, InterruptedException {
            long t0 = System.nanoTime();
            int i = tried++;
            long at = (long) (rnd.nextDouble() * durationMs);
            Path dir = base.resolve("p" + i);
            Point p = killAt(command, dir, signal, at);
            List<String> problems = new ArrayList<>();
            boolean didResume = false;
            try {
                didResume = checkPoint(command, dir, signal, p, reference, problems);
            } catch (RuntimeException | IOException e) {
                problems.add("check threw " + e);
            }
            String line = String.format(
                    Locale.ROOT,
                    "%s %s #%d at %d of %d ms: exit %d, %s%s%s",
                    command.name(),
                    signal,
                    i,
                    at,
                    durationMs,
                    p.exit,
                    p.state,
                    didResume ? ", resumed" : "",
                    problems.isEmpty() ? ", ok" : ", FAILED: " + String.join("; ", problems));
            log.add(line);
            if (problems.isEmpty()) {
                survived++;
            } else {
                failures.add(line);
            }
            if (didResume) {
                resumed++;
            }
            seconds += (System.nanoTime() - t0) / 1e9;
            return line;
        }

        public Tally tally() {
            return new Tally(command.name(), signal, tried, survived, resumed, seconds, List.copyOf(failures));
        }
    }

    /** The model file the commands after training start from, trained once (uninterrupted). */
    private Path model() throws IOException, InterruptedException {
        if (model == null) {
            Path dir = work.resolve("teacher");
            Child c = start(command("train-single"), dir);
            if (c.process.waitFor() != 0) {
                throw new IllegalStateException("training the model to start from failed, see " + dir);
            }
            model = onlyRun(dir.resolve("runs")).resolve("models/model.zip");
        }
        return model;
    }

    private record Child(Process process, Path runs, Path out) {}

    private Child start(Command command, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String args = command.args()
                .replace("{runs}", dir.resolve("runs").toString())
                .replace("{out}", dir.resolve("out").resolve("model.onnx").toString());
        if (args.contains("{model}")) {
            args = args.replace("{model}", model().toString());
        }
        Files.createDirectories(dir.resolve("out"));
        return new Child(
                keiryo(dir.resolve("out.txt"), Arrays.asList(args.split(" "))),
                dir.resolve("runs"),
                dir.resolve("out").resolve("model.onnx"));
    }

    /** {@code keiryo ARGS} in a child JVM on this JVM's class path, its output to {@code log}. */
    public static Process keiryo(Path log, List<String> args) throws IOException {
        return keiryo(log, args, java.util.Map.of());
    }

    /** As above, with {@code env} added to the child's environment. */
    public static Process keiryo(Path log, List<String> args, java.util.Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                // Short runs: the quick compiler alone starts faster and costs less CPU.
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.keiryo.engine.cli.KeiryoCli"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        return pb.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private record Point(int exit, String state, Child child) {}

    /**
     * When the command has made its run folder (the JVM start and data loading before it leave
     * nothing to check), as {@link System#nanoTime()}; for an export, when it started.
     */
    private static long waitForRun(Command command, Child c) throws InterruptedException {
        long t0 = System.nanoTime();
        if (command.export()) {
            return t0;
        }
        while (c.process.isAlive()) {
            try (Stream<Path> s = Files.list(c.runs)) {
                if (s.anyMatch(Files::isDirectory)) {
                    break;
                }
            } catch (IOException notYet) {
                // runs/ itself is made with the first run folder
            }
            Thread.sleep(10);
        }
        return System.nanoTime();
    }

    private Point killAt(Command command, Path dir, Signal signal, long atMs) throws IOException, InterruptedException {
        Child c = start(command, dir);
        waitForRun(command, c);
        boolean ended = c.process.waitFor(atMs, TimeUnit.MILLISECONDS);
        if (!ended) {
            if (signal == Signal.KILL) {
                c.process.destroyForcibly();
            } else {
                c.process.destroy();
            }
        }
        if (!c.process.waitFor(120, TimeUnit.SECONDS)) {
            c.process.destroyForcibly().waitFor();
        }
        String state = command.export() ? (Files.exists(c.out) ? "written" : "not written") : stateOf(c.runs);
        return new Point(c.process.exitValue(), state, c);
    }

    private static String stateOf(Path runs) {
        List<RunInfo> list = new RunStore(runs).list();
        return list.isEmpty() ? "no run folder" : list.get(0).state().id();
    }

    /** Checks one kill point and resumes what it stopped; true if it resumed. */
    private boolean checkPoint(Command command, Path dir, Signal signal, Point p, Reference ref, List<String> problems)
            throws IOException, InterruptedException {
        if (command.export()) {
            if (Files.exists(p.child.out) && !Arrays.equals(Files.readAllBytes(p.child.out), ref.export)) {
                problems.add("the exported file differs from the uninterrupted export's");
            }
            return false;
        }
        List<RunInfo> runs = new RunStore(p.child.runs).list();
        if (runs.isEmpty()) {
            return false;
        }
        if (runs.size() > 1) {
            problems.add(runs.size() + " run folders for one command");
        }
        RunInfo run = runs.get(0);
        checkState(run, signal, p.exit, problems);
        checkFiles(run.dir(), problems);
        if (run.state() == RunState.COMPLETED || !Files.isRegularFile(run.dir().resolve("experiment.yaml"))) {
            // Completed before the signal, or stopped before it recorded what to run: nothing to resume.
            return false;
        }
        Process resume = keiryo(
                dir.resolve("resume.txt"),
                List.of("train", "--resume", run.dir().toString(), "--runs", p.child.runs.toString()));
        int code = resume.waitFor();
        if (code != 0) {
            problems.add("--resume ended with exit " + code + " (" + lastLine(dir.resolve("resume.txt")) + ")");
            return true;
        }
        RunInfo after = new RunStore(p.child.runs).list().get(0);
        if (after.state() != RunState.COMPLETED) {
            problems.add("after --resume the run is " + after.state().id());
        }
        checkFiles(after.dir(), problems);
        try (Stream<Path> files = Files.walk(after.dir())) {
            files.filter(AtomicWrite::isTemporary).forEach(f -> problems.add("left behind: " + f));
        }
        List<String> steps = variantSteps(after.dir());
        if (!madeAll(steps, ref.steps)) {
            problems.add("variants " + steps + " after --resume, " + ref.steps + " uninterrupted");
        }
        if (ref.params != null) {
            INDArray mine =
                    ModelIO.load(after.dir().resolve("models/model.zip")).net().params();
            double diff = mine.sub(ref.params).amaxNumber().doubleValue();
            if (!(diff <= 1e-5)) {
                problems.add("resumed weights differ from the uninterrupted run's by " + diff);
            }
        }
        return true;
    }

    private static void checkState(RunInfo run, Signal signal, int exit, List<String> problems) {
        // A stopped run reads as killed (SIGKILL) or cancelled (SIGTERM); never failed, never running.
        RunState s = run.state();
        boolean ok = switch (s) {
            case COMPLETED -> true; // finished before the signal, or between recording it and exiting
            case INCOMPLETE -> true;
            case KILLED -> signal == Signal.KILL;
            case CANCELLED -> signal == Signal.TERM;
            default -> false;
        };
        if (!ok) {
            problems.add("status " + s.id() + " after " + signal + " (exit " + exit + ")"
                    + (run.status() == null ? "" : ": " + run.status().message()));
        }
    }

    /** Every file a reader would trust reads whole; every variant listed is there and loads. */
    static void checkFiles(Path run, List<String> problems) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(run)) {
            files = s.filter(Files::isRegularFile)
                    .filter(f -> !AtomicWrite.isTemporary(f))
                    .toList();
        }
        for (Path f : files) {
            String n = f.getFileName().toString();
            try {
                if (n.endsWith(".json")) {
                    JSON.readTree(f.toFile());
                } else if (n.endsWith(".kpack")) {
                    PackReader.read(f);
                } else if (n.endsWith(".zip")) {
                    ModelIO.load(f);
                } else if (n.endsWith(".png") && ImageIO.read(f.toFile()) == null) {
                    problems.add(run.relativize(f) + " is not a whole PNG");
                } else if (n.equals("experiment.yaml")) {
                    ExperimentFile.read(f);
                }
            } catch (IOException | RuntimeException e) {
                problems.add(run.relativize(f) + " is written but unreadable: " + e.getMessage());
            }
        }
        Path index = run.resolve(VariantStore.INDEX);
        if (Files.isRegularFile(index)) {
            for (Variant v : variants(run)) {
                if (!Files.isRegularFile(run.resolve(v.modelFile()))) {
                    problems.add(VariantStore.INDEX + " lists " + v.modelFile() + ", which is missing");
                }
            }
        }
    }

    private static List<Variant> variants(Path run) throws IOException {
        Path index = run.resolve(VariantStore.INDEX);
        if (!Files.isRegularFile(index)) {
            return List.of();
        }
        return JSON.readValue(index.toFile(), JSON.getTypeFactory().constructCollectionType(List.class, Variant.class));
    }

    /**
     * Whether a resumed run made every variant the uninterrupted run made, in order, and nothing
     * else but what the step it redid had already kept before the stop (a stopped step keeps the
     * variants it finished; the resume makes the step again whole).
     */
    static boolean madeAll(List<String> resumed, List<String> reference) {
        int i = 0;
        for (String s : resumed) {
            if (i < reference.size() && s.equals(reference.get(i))) {
                i++;
            } else if (!reference.contains(s)) {
                return false;
            }
        }
        return i == reference.size();
    }

    /** The steps and settings that made each variant, in order: what a resumed run must also have made. */
    static List<String> variantSteps(Path run) throws IOException {
        // Sorted: the order of a step's settings in the file is not part of what it made.
        return variants(run).stream()
                .map(v -> v.step() + " " + new java.util.TreeMap<>(v.params()))
                .toList();
    }

    /** What the uninterrupted run made, and how long it took. */
    private record Reference(List<String> steps, INDArray params, byte[] export, long durationMs) {
        static Reference of(Command command, Path dir, long durationMs) throws IOException {
            if (command.export()) {
                return new Reference(
                        List.of(), null, Files.readAllBytes(dir.resolve("out").resolve("model.onnx")), durationMs);
            }
            Path run = onlyRun(dir.resolve("runs"));
            INDArray params = command.sameModel()
                    ? ModelIO.load(run.resolve("models/model.zip"))
                            .net()
                            .params()
                            .dup()
                    : null;
            return new Reference(variantSteps(run), params, null, durationMs);
        }
    }

    private static Path onlyRun(Path runs) {
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
