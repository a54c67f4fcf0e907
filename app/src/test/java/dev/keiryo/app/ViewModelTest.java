package dev.keiryo.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.app.concurrent.InlineTasks;
import dev.keiryo.app.data.DataViewModel;
import dev.keiryo.app.experiments.ExperimentsViewModel;
import dev.keiryo.app.experiments.HeadlessCommand;
import dev.keiryo.app.model.ModelViewModel;
import dev.keiryo.app.model.VertexRow;
import dev.keiryo.app.prune.PruneViewModel;
import dev.keiryo.app.quantize.QuantizeViewModel;
import dev.keiryo.app.train.TrainSettingsModel;
import dev.keiryo.app.train.TrainViewModel;
import dev.keiryo.app.workspace.AppPrefs;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.engine.Session;
import dev.keiryo.engine.api.experiment.DataSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ExperimentFile;
import dev.keiryo.engine.api.experiment.ModelSpec;
import dev.keiryo.engine.api.experiment.ParallelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** View models without a window: engine work runs inline, so results can be checked at once. */
class ViewModelTest {
    @TempDir
    Path dir;

    private final Preferences node = Preferences.userRoot().node("dev/keiryo/workbench-test-" + UUID.randomUUID());
    private final Workspace ws = new Workspace(new InlineTasks(), Path.of("unused"));

    @AfterEach
    void removePrefs() throws Exception {
        node.removeNode();
    }

    @Test
    void aCsvIsLoadedWithTheLabelColumnPickedFromItsHeader() throws Exception {
        StringBuilder csv = new StringBuilder("height,weight,kind,extra\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i)
                    .append(',')
                    .append(40 - i)
                    .append(',')
                    .append(i % 2)
                    .append(',')
                    .append(i * 0.5)
                    .append('\n');
        }
        Path file = dir.resolve("animals.csv");
        Files.writeString(file, csv);
        DataViewModel vm = new DataViewModel(ws);
        vm.sourceProperty().set(DataSpec.Source.CSV);
        vm.pathProperty().set(file.toString());
        vm.inspectCsv();
        assertEquals(List.of("height", "weight", "kind", "extra"), vm.columns());
        vm.labelColumnProperty().set("kind");
        vm.load();
        assertEquals("", vm.errorProperty().get());
        assertEquals(2, vm.classCountsProperty().get().size(), "two classes in 'kind'");
        assertTrue(vm.samples().isEmpty(), "tabular data has no image grid");
        assertEquals(DataSpec.Source.CSV, ws.experiment().data().source());
        assertEquals("kind", ws.experiment().data().labelColumn());
    }

    @Test
    void aBadCsvIsASentenceAndLeavesTheExperimentAlone() throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "a,b,label\n1,2,0\n3,4\n5,6,1\n");
        DataViewModel vm = new DataViewModel(ws);
        vm.sourceProperty().set(DataSpec.Source.CSV);
        vm.pathProperty().set(file.toString());
        vm.labelColumnProperty().set("label");
        vm.load();
        assertTrue(
                vm.errorProperty().get().contains("bad.csv"), vm.errorProperty().get());
        assertTrue(ws.status().errorProperty().get());
        assertEquals(DataSpec.Source.SAMPLE, ws.experiment().data().source());
        assertNull(ws.experiment().data().path());
    }

    @Test
    void openingASavedModelShowsItsLayersAndStartsASessionOnIt() {
        Experiment d = Workspace.defaults();
        Experiment quick = d.withData(d.data().withLimitTrain(300))
                .withModel(d.model().withPreset(ModelSpec.Preset.LENET300))
                .withEval(d.eval().withLatency(false));
        Path zip = Engine.local()
                .start(dir.resolve("runs"), quick, null, null)
                .trained()
                .modelFile();
        java.util.concurrent.atomic.AtomicReference<Experiment> started =
                new java.util.concurrent.atomic.AtomicReference<>();
        ModelViewModel vm = new ModelViewModel(ws, started::set);
        vm.open(zip);
        assertEquals(3, vm.layers().size(), "LeNet-300-100 has three dense layers");
        assertTrue(vm.histogramProperty().get().total() > 260_000);
        assertEquals(zip.toString(), started.get().model().load());
        assertEquals(0, started.get().train().epochs(), "a loaded model is evaluated, not trained again");
    }

    @Test
    void aPresetIsShownForTheDataLoadedLast() {
        ModelViewModel vm = new ModelViewModel(ws, e -> {});
        vm.presetProperty().set(ModelSpec.Preset.RESNET20);
        vm.widthProperty().set(0.25);
        ws.dataShapeProperty().set(new Workspace.InputShape(3, 32, 32, 4));
        vm.showPreset();
        assertEquals("4x32x32", vm.rows().get(0).vertex().outputShape(), "the stem sees colour 32x32 images");
        assertTrue(
                vm.titleProperty().get().contains("3x32x32 input and 4 classes"),
                vm.titleProperty().get());
    }

    @Test
    void aResidualPresetShowsEveryVertexWithItsInputsAndAChainStaysAList() {
        ModelViewModel vm = new ModelViewModel(ws, e -> {});
        vm.presetProperty().set(ModelSpec.Preset.RESNET20);
        vm.widthProperty().set(0.25);
        vm.showPreset();
        assertTrue(vm.branchedProperty().get());
        VertexRow sum = vm.rows().stream()
                .filter(r -> r.vertex().name().equals("s1b1.add"))
                .findFirst()
                .orElseThrow();
        assertEquals("add(s1b1.conv2.bn, stem.relu)", sum.inputs(), "a residual join names both branches");
        assertNull(sum.layer(), "a sum has no weights");
        assertEquals(-1, sum.histogramLayer());
        assertEquals("input", vm.rows().get(0).inputs(), "the stem reads the network input");
        assertEquals(vm.layers().size() + 9, vm.rows().size(), "every layer and the nine residual sums");
        assertTrue(
                vm.totalsProperty().get().contains("branches join at 9"),
                vm.totalsProperty().get());

        vm.presetProperty().set(ModelSpec.Preset.LENET5);
        vm.widthProperty().set(1.0);
        vm.showPreset();
        assertFalse(vm.branchedProperty().get(), "a chain needs no inputs column");
        assertEquals(
                vm.layers().stream().map(l -> l.name()).toList(),
                vm.rows().stream().map(r -> r.vertex().name()).toList(),
                "a chain's rows are its layers, as before");
        assertFalse(
                vm.totalsProperty().get().contains("graph"), vm.totalsProperty().get());
    }

    @Test
    void sweepsAddOneVariantPerLevelToTheSession() {
        Experiment d = Workspace.defaults();
        Experiment quick = d.withData(d.data().withLimitTrain(300))
                .withModel(d.model().withPreset(ModelSpec.Preset.LENET300))
                .withEval(d.eval().withLatency(false));
        PruneViewModel prune = new PruneViewModel(ws);
        QuantizeViewModel quant = new QuantizeViewModel(ws);
        dev.keiryo.app.variants.VariantsViewModel variants = new dev.keiryo.app.variants.VariantsViewModel(ws);
        ws.showSession(Engine.local().start(dir.resolve("runs"), quick, null, null));
        assertTrue(prune.readyProperty().get() && quant.readyProperty().get());
        prune.sweep();
        List<Double> levels = prune.sweepLevels();
        assertEquals(1 + levels.size(), ws.variants().size());
        for (int i = 0; i < levels.size(); i++) {
            assertEquals(levels.get(i), ws.variants().get(1 + i).metrics().sparsity(), 0.02);
            assertEquals("v0", ws.variants().get(1 + i).parent());
        }
        quant.modeProperty().set(QuantizeViewModel.Mode.CODEBOOK);
        quant.sweep();
        List<Integer> bits = quant.sweepBits();
        assertEquals(1 + levels.size() + bits.size(), ws.variants().size());
        assertEquals(
                bits.get(bits.size() - 1).doubleValue(),
                ws.variants().get(ws.variants().size() - 1).metrics().bits());
        assertFalse(
                ws.status().errorProperty().get(), ws.status().messageProperty().get());

        // Another model: nothing of the last one's variants is left in the views.
        variants.compare(List.of(ws.variants().get(0), ws.variants().get(1)));
        assertTrue(variants.comparisonProperty().get().startsWith("v0 vs v1"));
        ws.showSession(Engine.local().start(dir.resolve("runs2"), quick, null, null));
        assertEquals(
                "Select two variants to compare them.",
                variants.comparisonProperty().get());
        assertTrue(prune.sensitivityProperty().get().isEmpty());
    }

    @Test
    void theParallelSettingsReachTheEnginesTrainingPathAndTheHeadlessCommand() {
        TrainViewModel vm = new TrainViewModel(ws);
        TrainSettingsModel sheet = vm.settings();
        sheet.modeProperty().set(ParallelSpec.TrainMode.SYNC);
        sheet.averagingFrequencyProperty().set(4);
        ParallelSpec p = ws.experiment().train().parallel();
        assertEquals(ParallelSpec.TrainMode.SYNC, p.mode(), "the sheet edits the experiment as it goes");
        assertEquals(2, p.workers());
        assertEquals(4, p.averagingFrequency());
        assertTrue(
                HeadlessCommand.forFlags(ws.experiment()).endsWith("--mode sync --workers 2 --averaging-frequency 4"),
                HeadlessCommand.forFlags(ws.experiment()));

        Experiment e = ws.experiment();
        Experiment quick = e.withData(e.data().withLimitTrain(300))
                .withModel(e.model().withPreset(ModelSpec.Preset.LENET300))
                .withTrain(e.train().withBatchSize(32))
                .withEval(e.eval().withLatency(false));
        List<String> messages = new java.util.ArrayList<>();
        Session s = Engine.local()
                .start(
                        dir.resolve("runs"),
                        quick,
                        ev -> {
                            if (ev instanceof dev.keiryo.engine.api.run.TrainingEvent.Message m) {
                                messages.add(m.text());
                            }
                        },
                        null);
        assertTrue(s.open());
        assertTrue(
                messages.stream()
                        .anyMatch(m -> m.startsWith("sync data-parallel training: 2 workers")
                                && m.contains("averaging every 4 iteration(s)")),
                messages.toString());

        sheet.modeProperty().set(ParallelSpec.TrainMode.SINGLE);
        assertNull(ws.experiment().train().parallel().workers(), "single mode carries no worker count");
        assertFalse(HeadlessCommand.forFlags(ws.experiment()).contains("--mode "));
        sheet.modeProperty().set(ParallelSpec.TrainMode.ASYNC);
        sheet.workersProperty().set(1);
        vm.train();
        assertTrue(
                vm.messageProperty().get().contains("train.workers must be >= 2 (was 1) in async mode"),
                vm.messageProperty().get());
        assertTrue(ws.status().errorProperty().get());
    }

    @Test
    void experimentsSaveAndOpenTheFileTheCliRuns() {
        ExperimentsViewModel vm = new ExperimentsViewModel(ws, new AppPrefs(node));
        Experiment e = ws.experiment()
                .withName("mine")
                .withTrain(ws.experiment().train().withEpochs(4));
        ws.experimentProperty().set(e);
        Path file = dir.resolve("mine.yaml");
        vm.save(file);
        assertEquals(e, ExperimentFile.read(file));
        assertEquals(file.toAbsolutePath().toString(), new AppPrefs(node).lastExperiment());
        assertTrue(
                vm.commandProperty().get().contains("./keiryo train " + file),
                vm.commandProperty().get());
        vm.newExperiment();
        assertFalse(ws.experiment().name().equals("mine"));
        vm.open(file);
        assertEquals(e, ws.experiment());
    }
}
