package dev.keiryo.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.app.experiments.HeadlessCommand;
import dev.keiryo.app.variants.Lineage;
import dev.keiryo.app.variants.Pareto;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ExperimentFile;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.ParallelSpec;
import dev.keiryo.engine.api.experiment.TrainSpec;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.cli.KeiryoCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ParetoAndCommandTest {
    /**
     * The frontier is exactly the points no other point beats (at least as good on both axes,
     * better on one), in order of x; points without a finite size or accuracy are left out.
     */
    @Test
    void frontierKeepsOnlyUnbeatenPoints() {
        double[] bytes = {1000, 250, 120, 300, 60, Double.NaN};
        double[] acc = {0.90, 0.89, 0.85, 0.80, 0.60, 0.99};
        assertEquals(
                List.of(4, 2, 1, 0), Pareto.frontier(bytes, acc, true), "300 bytes at 0.80 is beaten by 250 at 0.89");
        double[] sparsity = {0.0, 0.5, 0.9, 0.9};
        double[] acc2 = {0.90, 0.91, 0.85, 0.80};
        assertEquals(
                List.of(1, 2), Pareto.frontier(sparsity, acc2, false), "more sparsity is better; v0 is beaten by v1");
        java.util.Random r = new java.util.Random(11);
        for (int round = 0; round < 200; round++) {
            int n = 1 + r.nextInt(12);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextInt(8) == 0 ? Double.NaN : r.nextDouble();
                y[i] = r.nextInt(8) == 0 ? Double.NaN : r.nextDouble();
            }
            boolean lowerXBetter = r.nextBoolean();
            assertEquals(
                    unbeaten(x, y, lowerXBetter),
                    Pareto.frontier(x, y, lowerXBetter),
                    java.util.Arrays.toString(x) + " " + java.util.Arrays.toString(y) + " " + lowerXBetter);
        }
    }

    /** The definition, point against point: the finite points that no other one beats, by ascending x. */
    private static List<Integer> unbeaten(double[] x, double[] y, boolean lowerXBetter) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                continue;
            }
            boolean beaten = false;
            for (int j = 0; j < x.length; j++) {
                double gain = lowerXBetter ? x[i] - x[j] : x[j] - x[i];
                boolean finite = Double.isFinite(x[j]) && Double.isFinite(y[j]);
                if (j != i && finite && gain >= 0 && y[j] >= y[i] && (gain > 0 || y[j] > y[i])) {
                    beaten = true;
                }
            }
            if (!beaten) {
                out.add(i);
            }
        }
        out.sort(java.util.Comparator.comparingDouble(i -> x[i]));
        return out;
    }

    /**
     * Every variant appears exactly once: under its parent when that is in the list, else as a root
     * (no parent, a parent not shown, or itself as parent), children in the order they were made.
     */
    @Test
    void lineagePutsEachVariantUnderItsParent() {
        List<Variant> vs = List.of(
                v("v0", null),
                v("v1", "v0"),
                v("v2", null),
                v("v3", "v1"),
                v("v4", "v0"),
                v("v5", "gone"),
                v("v6", "v6"),
                v("v7", "v3"));
        Lineage l = new Lineage(vs);
        assertEquals(
                List.of("v0", "v2", "v5", "v6"),
                l.roots().stream().map(Variant::id).toList(),
                "no parent (a scratch student), a parent not shown or itself: a root");
        assertEquals(
                List.of("v1", "v4"),
                l.children(vs.get(0)).stream().map(Variant::id).toList());
        assertEquals(
                List.of("v3"), l.children(vs.get(1)).stream().map(Variant::id).toList());
        assertEquals(
                List.of("v7"), l.children(vs.get(3)).stream().map(Variant::id).toList());
        List<String> seen = new ArrayList<>();
        java.util.ArrayDeque<Variant> todo = new java.util.ArrayDeque<>(l.roots());
        while (!todo.isEmpty()) {
            Variant p = todo.pop();
            seen.add(p.id());
            for (Variant c : l.children(p)) {
                assertEquals(p.id(), c.parent(), c.id() + " is under its own parent");
                todo.add(c);
            }
        }
        assertEquals(
                vs.stream().map(Variant::id).sorted().toList(),
                seen.stream().sorted().toList(),
                "each variant once in the forest");
    }

    private static Variant v(String id, String parent) {
        return new Variant(id, parent, "step", Map.of(), null, id + ".kpack", "now");
    }

    /**
     * Experiments as the workbench makes them (trained from a preset, or started from a loaded
     * model file) and with every other setting away from its default: the command, run by the real
     * {@code keiryo} command line, makes exactly the same experiment.
     */
    @Test
    void theFlagCommandParsesWithTheCliAndMeansTheSameExperiment(@TempDir Path dir) throws Exception {
        Experiment d = Workspace.defaults();
        Experiment everything = d.withName("all-settings")
                .withSeed(7)
                .withData(d.data()
                        .withSource(DataSpec.Source.CSV)
                        .withPath("it's my data.csv")
                        .withTestPath("test.csv")
                        .withLabelColumn("y")
                        .withLimitTrain(600)
                        .withValidationFraction(0.2)
                        .withNormalization(DataSpec.Normalization.STANDARDIZE))
                .withModel(d.model()
                        .withPreset(ModelSpec.Preset.MLP)
                        .withHidden(List.of(300, 100))
                        .withWidth(0.5)
                        .withDropout(0.25))
                .withTrain(d.train()
                        .withEpochs(5)
                        .withLearningRate(0.002)
                        .withBatchSize(64)
                        .withOptimizer(TrainSpec.Optimizer.SGD)
                        .withDataType(TrainSpec.DataType.DOUBLE)
                        .withWeightDecay(5e-4)
                        .withEarlyStoppingPatience(3)
                        .withCheckpointEveryEpochs(2))
                .withEval(d.eval().withLatency(false));
        ParallelSpec sync = new ParallelSpec(
                ParallelSpec.TrainMode.SYNC,
                3,
                4,
                false,
                0,
                List.of("cpu"),
                ParallelSpec.DeviceFallback.FAIL,
                ParallelSpec.ThresholdAlgorithm.ADAPTIVE,
                null,
                0.01,
                5.0,
                30);
        ParallelSpec async = ParallelSpec.defaults()
                .withMode(ParallelSpec.TrainMode.ASYNC)
                .withWorkers(2)
                .withThreshold(ParallelSpec.ThresholdAlgorithm.FIXED, 1e-3, 0.05, 2);
        // Opening a model file in the workbench starts a session that loads it and trains no epoch.
        Experiment loaded = d.withModel(d.model().withLoad("runs/my run/model.zip"))
                .withTrain(d.train().withEpochs(0));
        Experiment images = d.withData(d.data()
                .withSource(DataSpec.Source.IMAGES)
                .withPath("my photos")
                .withImageSize(48)
                .withSkipBadImages(true)
                .withAugment(DataSpec.Augment.FLIP)
                .withStreaming(DataSpec.Streaming.ON));
        List<Experiment> experiments = List.of(
                d,
                everything,
                images,
                d.withTrain(d.train().withParallel(sync)),
                d.withTrain(d.train().withParallel(async)),
                loaded,
                loaded.withModel(loaded.model().withPreset(ModelSpec.Preset.LENET300)));
        for (Experiment e : experiments) {
            String cmd = HeadlessCommand.forFlags(e);
            assertEquals(e, dryRun(cmd, dir), cmd);
        }
        String fromFile = HeadlessCommand.forFlags(loaded);
        assertTrue(fromFile.contains(" --load 'runs/my run/model.zip' ") && !fromFile.contains("--model"), fromFile);
        assertEquals(
                "./keiryo train runs/x/experiment.yaml", HeadlessCommand.forFile(Path.of("runs/x/experiment.yaml")));
    }

    /** What {@code keiryo train --dry-run} makes of a shell command line, read back from the YAML it prints. */
    private static Experiment dryRun(String command, Path dir) throws Exception {
        List<String> words = shellWords(command);
        assertEquals(List.of("./keiryo", "train"), words.subList(0, 2), command);
        List<String> args = new ArrayList<>(words.subList(1, words.size()));
        args.add("--dry-run");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(
                0,
                KeiryoCli.execute(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new)),
                command + "\n" + err);
        Path yaml = dir.resolve("dry-run.yaml");
        Files.writeString(yaml, out.toString());
        return ExperimentFile.read(yaml);
    }

    /** Splits a POSIX shell command the way the shell would: spaces apart, 'single quotes' and backslash escapes. */
    private static List<String> shellWords(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quoted) {
                if (c == '\'') {
                    quoted = false;
                } else {
                    w.append(c);
                }
            } else if (c == '\'') {
                quoted = true;
                inWord = true;
            } else if (c == '\\' && i + 1 < command.length()) {
                w.append(command.charAt(++i));
                inWord = true;
            } else if (c == ' ') {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        assertTrue(!quoted, "unbalanced quote in " + command);
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    /**
     * The distill commands parse with the real command line (unknown flags and bad values would
     * throw) and each setting reaches the option it is meant for; the sweep runs the single
     * command once per width.
     */
    @Test
    void theDistillCommandsParseWithTheCli() {
        Experiment d = Workspace.defaults();
        Experiment e =
                d.withData(d.data().withLimitTrain(1500)).withTrain(d.train().withBatchSize(32));
        dev.keiryo.engine.api.experiment.DistillStepSpec spec =
                dev.keiryo.engine.api.experiment.DistillStepSpec.builder()
                        .from("v0")
                        .width(0.5)
                        .hidden(List.of(64, 32))
                        .temperature(4)
                        .alpha(0.9)
                        .epochs(2)
                        .seeds(1)
                        .compare(true)
                        .hintLayer("conv2")
                        .guidedLayer("conv2")
                        .hintEpochs(1)
                        .build();
        Path teacher = Path.of("runs/my run/model.zip");
        String cmd = HeadlessCommand.forDistill(teacher, spec, e);
        assertTrue(
                cmd.startsWith(
                        "./keiryo distill 'runs/my run/model.zip' --width 0.5 --hidden 64,32 --temperature 4.0 --alpha 0.9"
                                + " --epochs 2 --seeds 1 --compare --hint-layer conv2 --guided-layer conv2 --hint-epochs 1"),
                cmd);
        CommandLine.ParseResult p = parse(cmd);
        assertEquals("distill", p.commandSpec().name());
        assertEquals(teacher, p.matchedPositionalValue(0, null));
        assertEquals(0.5, p.matchedOptionValue("--width", 0.0));
        assertEquals(List.of(64, 32), p.matchedOptionValue("--hidden", List.of()));
        assertEquals(4.0, p.matchedOptionValue("--temperature", 0.0));
        assertEquals(0.9, p.matchedOptionValue("--alpha", 0.0));
        assertEquals(2, p.matchedOptionValue("--epochs", 0));
        assertEquals(1, p.matchedOptionValue("--seeds", 0));
        assertTrue(p.matchedOptionValue("--compare", false));
        assertEquals("conv2", p.matchedOptionValue("--hint-layer", ""));
        assertEquals("conv2", p.matchedOptionValue("--guided-layer", ""));
        assertEquals(1, p.matchedOptionValue("--hint-epochs", 0));
        assertEquals(1500, p.matchedOptionValue("--limit-train", 0));
        assertEquals(32, p.matchedOptionValue("--batch", 0));
        assertEquals(42L, p.matchedOptionValue("--seed", 0L));
        assertThrows(
                CommandLine.UnmatchedArgumentException.class,
                () -> parse("./keiryo distill model.zip --no-such-flag"),
                "a flag the command line does not know fails the parse");

        String sweep = HeadlessCommand.forDistillSweep(teacher, spec, List.of(0.125, 0.25), e);
        assertTrue(
                sweep.startsWith("for w in 0.125 0.25; do ./keiryo distill 'runs/my run/model.zip' --width $w "),
                sweep);
        assertTrue(sweep.endsWith("; done"), sweep);
        assertEquals(
                cmd,
                sweep.substring("for w in 0.125 0.25; do ".length(), sweep.length() - "; done".length())
                        .replace("$w", "0.5"),
                "each width runs the single command");
    }

    /** The async settings are in the command, and the command makes the same experiment. */
    @Test
    void theParallelModeIsInTheCommand(@TempDir Path dir) throws Exception {
        Experiment d = Workspace.defaults();
        ParallelSpec async = ParallelSpec.defaults()
                .withMode(ParallelSpec.TrainMode.ASYNC)
                .withWorkers(3)
                .withThreshold(ParallelSpec.ThresholdAlgorithm.ADAPTIVE, null, 0.05, 2);
        Experiment e = d.withTrain(d.train().withParallel(async));
        String cmd = HeadlessCommand.forFlags(e);
        assertTrue(cmd.endsWith("--mode async --workers 3 --max-sparsity 0.05 --residual-clip 2.0"), cmd);
        assertEquals(e, dryRun(cmd, dir), cmd);
    }

    /** What picocli makes of a {@code keiryo} shell command, parsed but not run: the subcommand's result. */
    private static CommandLine.ParseResult parse(String command) {
        List<String> words = shellWords(command);
        assertEquals("./keiryo", words.get(0), command);
        return KeiryoCli.commandLine()
                .parseArgs(words.subList(1, words.size()).toArray(String[]::new))
                .subcommand();
    }
}
