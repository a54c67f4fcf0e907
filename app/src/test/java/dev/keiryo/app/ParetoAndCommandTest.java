package dev.keiryo.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.app.experiments.HeadlessCommand;
import dev.keiryo.app.variants.Lineage;
import dev.keiryo.app.variants.Pareto;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ParallelSpec;
import dev.keiryo.engine.cli.KeiryoCli;
import dev.keiryo.engine.variant.Variant;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParetoAndCommandTest {
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
    }

    @Test
    void lineagePutsEachVariantUnderItsParent() {
        List<Variant> vs =
                List.of(v("v0", null), v("v1", "v0"), v("v2", null), v("v3", "v1"), v("v4", "v0"), v("v5", "gone"));
        Lineage l = new Lineage(vs);
        assertEquals(
                List.of("v0", "v2", "v5"),
                l.roots().stream().map(Variant::id).toList(),
                "no parent (a scratch student) or a parent not shown: a root");
        assertEquals(
                List.of("v1", "v4"),
                l.children(vs.get(0)).stream().map(Variant::id).toList());
        assertEquals(
                List.of("v3"), l.children(vs.get(1)).stream().map(Variant::id).toList());
        assertEquals(List.of(), l.children(vs.get(3)));
    }

    private static Variant v(String id, String parent) {
        return new Variant(id, parent, "step", Map.of(), null, id + ".kpack", "now");
    }

    @Test
    void theFlagCommandParsesWithTheCliAndMeansTheSameExperiment() {
        Experiment d = Workspace.defaults();
        Experiment e = d.withData(d.data()
                        .withSource(DataSpec.Source.CSV)
                        .withPath("my data.csv")
                        .withLabelColumn("y")
                        .withLimitTrain(600))
                .withTrain(d.train().withLearningRate(0.002).withBatchSize(64));
        String cmd = HeadlessCommand.forFlags(e);
        assertTrue(cmd.startsWith("./keiryo train "), cmd);
        assertTrue(
                cmd.contains("--data 'my data.csv'")
                        && cmd.contains("--label-column y")
                        && cmd.contains("--limit-train 600")
                        && cmd.contains("--lr 0.002")
                        && cmd.contains("--batch 64"),
                cmd);
        // Every flag must be one the CLI knows: with --help picocli parses them all, then prints usage only.
        String[] args = (cmd.replace("'my data.csv'", "x.csv").substring("./keiryo ".length()) + " --help").split(" ");
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(
                0,
                KeiryoCli.execute(
                        new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err), args),
                err.toString());
        assertEquals(
                "./keiryo train runs/x/experiment.yaml", HeadlessCommand.forFile(Path.of("runs/x/experiment.yaml")));
    }

    @Test
    void theDistillCommandsParseWithTheCli() {
        Experiment d = Workspace.defaults();
        Experiment e =
                d.withData(d.data().withLimitTrain(1500)).withTrain(d.train().withBatchSize(32));
        dev.keiryo.engine.api.experiment.DistillStepSpec spec =
                dev.keiryo.engine.api.experiment.DistillStepSpec.builder()
                        .from("v0")
                        .width(0.5)
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
                        "./keiryo distill 'runs/my run/model.zip' --width 0.5 --temperature 4.0 --alpha 0.9 --epochs 2"
                                + " --seeds 1 --compare --hint-layer conv2 --guided-layer conv2 --hint-epochs 1"),
                cmd);
        assertTrue(cmd.contains("--limit-train 1500") && cmd.contains("--batch 32") && cmd.contains("--seed 42"), cmd);
        String[] args = (cmd.replace("'runs/my run/model.zip'", "model.zip").substring("./keiryo ".length())
                        + " --help")
                .split(" ");
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(
                0,
                KeiryoCli.execute(
                        new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err), args),
                err.toString());

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

    @Test
    void theParallelModeIsInTheCommand() {
        Experiment d = Workspace.defaults();
        ParallelSpec async = ParallelSpec.defaults()
                .withMode(ParallelSpec.TrainMode.ASYNC)
                .withWorkers(3)
                .withThreshold(ParallelSpec.ThresholdAlgorithm.ADAPTIVE, null, 0.05, 2);
        String cmd = HeadlessCommand.forFlags(d.withTrain(d.train().withParallel(async)));
        assertTrue(cmd.endsWith("--mode async --workers 3 --max-sparsity 0.05 --residual-clip 2.0"), cmd);
        String[] args = (cmd.substring("./keiryo ".length()) + " --help").split(" ");
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(
                0,
                KeiryoCli.execute(
                        new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err), args),
                err.toString());
    }
}
