package dev.keiryo.engine.api.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentFileTest {

    @TempDir
    Path tmp;

    private static Experiment custom() {
        Experiment d = Experiment.defaults();
        return d.withName("mlp-csv.v2")
                .withSeed(7)
                .withData(d.data()
                        .withSource(DataSpec.Source.CSV)
                        .withPath("data/train.csv")
                        .withTestPath("data/test.csv")
                        .withLabelColumn("3")
                        .withValidationFraction(0.2)
                        .withNormalization(DataSpec.Normalization.STANDARDIZE)
                        .withLimitTrain(500))
                .withModel(d.model()
                        .withPreset(ModelSpec.Preset.MLP)
                        .withWidth(0.5)
                        .withHidden(List.of(64, 32))
                        .withDropout(0.25)
                        .withLoad("models/base.zip"))
                .withTrain(d.train()
                        .withOptimizer(TrainSpec.Optimizer.NESTEROVS)
                        .withLearningRate(0.05)
                        .withBatchSize(32)
                        .withEpochs(9)
                        .withDataType(TrainSpec.DataType.HALF)
                        .withWeightDecay(1e-4)
                        .withEarlyStoppingPatience(2)
                        .withCheckpointEveryEpochs(0))
                .withEval(d.eval().withLatency(false));
    }

    @Test
    void roundTripsYaml() {
        Path file = tmp.resolve("e.yaml");
        ExperimentFile.write(custom(), file);
        assertEquals(custom(), ExperimentFile.read(file));
    }

    @Test
    void roundTripsYml() {
        Path file = tmp.resolve("e.yml");
        ExperimentFile.write(Experiment.defaults(), file);
        assertEquals(Experiment.defaults(), ExperimentFile.read(file));
    }

    @Test
    void roundTripsJson() throws IOException {
        Path file = tmp.resolve("e.json");
        ExperimentFile.write(custom(), file);
        assertTrue(Files.readString(file).trim().startsWith("{"));
        assertEquals(custom(), ExperimentFile.read(file));
    }

    @Test
    void writesReadableYamlWithLowercaseChoices() throws IOException {
        Path file = tmp.resolve("e.yaml");
        ExperimentFile.write(custom(), file);
        String text = Files.readString(file);
        assertTrue(text.startsWith("schemaVersion: 1"), text);
        assertTrue(text.contains("source: csv"), text);
        assertTrue(text.contains("optimizer: nesterovs"), text);
        assertTrue(!text.contains("steps"), "empty steps are left out: " + text);
    }

    @Test
    void writeLeavesNoTemporaryFiles() throws IOException {
        Path file = tmp.resolve("e.yaml");
        ExperimentFile.write(custom(), file);
        ExperimentFile.write(Experiment.defaults(), file);
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(file), files.toList());
        }
        assertEquals(Experiment.defaults(), ExperimentFile.read(file));
    }

    @Test
    void onlySchemaVersionGivesDefaults() throws IOException {
        assertEquals(Experiment.defaults(), read("e.yaml", "schemaVersion: 1\n"));
        assertEquals(Experiment.defaults(), read("e.json", "{\"schemaVersion\": 1}"));
    }

    @Test
    void emptySectionsAndNullsGiveDefaults() throws IOException {
        Experiment e = read("e.yaml", """
                schemaVersion: 1
                train:
                data:
                  validationFraction: null
                  source:
                model:
                  hidden:
                """);
        assertEquals(Experiment.defaults(), e);
    }

    @Test
    void partialSectionKeepsOtherDefaults() throws IOException {
        Experiment e = read("e.yaml", "schemaVersion: 1\ntrain:\n  epochs: 5\n");
        assertEquals(Experiment.defaults().withTrain(TrainSpec.defaults().withEpochs(5)), e);
    }

    @Test
    void choicesAreCaseInsensitiveAndExponentsParse() throws IOException {
        Experiment e = read("e.yaml", """
                schemaVersion: 1
                train:
                  optimizer: Adam
                  learningRate: 1e-3
                data:
                  source: Fashion-MNIST
                """);
        assertEquals(TrainSpec.Optimizer.ADAM, e.train().optimizer());
        assertEquals(0.001, e.train().learningRate());
        assertEquals(DataSpec.Source.FASHION_MNIST, e.data().source());
    }

    @Test
    void numericLabelColumnIsKeptAsText() throws IOException {
        Experiment e = read("e.yaml", "schemaVersion: 1\ndata:\n  source: csv\n  path: a.csv\n  labelColumn: 0\n");
        assertEquals("0", e.data().labelColumn());
    }

    @Test
    void unknownFieldNamesPathFileKnownFieldsAndSuggestion() throws IOException {
        String m = error("experiment.yaml", "schemaVersion: 1\ntrain:\n  learningRat: 0.1\n");
        assertTrue(m.startsWith(tmp.resolve("experiment.yaml") + ": unknown field 'train.learningRat'"), m);
        assertTrue(m.contains("(known: optimizer, learningRate, batchSize, epochs,"), m);
        assertTrue(m.contains("did you mean 'learningRate'?"), m);
    }

    @Test
    void unknownTopLevelField() throws IOException {
        String m = error("e.json", "{\"schemaVersion\": 1, \"zzz\": true}");
        assertTrue(m.contains("e.json: unknown field 'zzz' (known: schemaVersion, name, seed,"), m);
        assertTrue(m.endsWith("remove it or fix its spelling."), m);
    }

    @Test
    void wrongTypeNamesFieldAndValue() throws IOException {
        String m = error("e.yaml", "schemaVersion: 1\ntrain:\n  epochs: three\n");
        assertTrue(m.endsWith("e.yaml: train.epochs must be an integer (was \"three\")."), m);
    }

    @Test
    void fractionForIntegerIsRejectedNotTruncated() throws IOException {
        String m = error("e.yaml", "schemaVersion: 1\ntrain:\n  batchSize: 3.5\n");
        assertTrue(m.contains("e.yaml: train.batchSize must be an integer (was 3.5)"), m);
    }

    @Test
    void wrongTypeInListNamesIndex() throws IOException {
        String m = error("e.yaml", "schemaVersion: 1\nmodel:\n  hidden: [256, big]\n");
        assertTrue(m.contains("e.yaml: model.hidden[1] must be an integer (was \"big\")"), m);
    }

    @Test
    void sectionGivenAsScalar() throws IOException {
        String m = error("e.yaml", "schemaVersion: 1\ntrain: 5\n");
        assertTrue(m.contains("e.yaml: train must be a section of fields"), m);
    }

    @Test
    void badChoiceListsAllowedValues() throws IOException {
        String m = error("e.yaml", "schemaVersion: 1\ndata:\n  source: imagenet\n");
        assertTrue(
                m.contains("e.yaml: data.source must be one of sample, fashion-mnist, mnist, idx, csv, cifar10,"
                        + " cifar100, images (was \"imagenet\")"),
                m);
    }

    @Test
    void outOfRangeNamesFieldAndFile() throws IOException {
        assertTrue(error("experiment.yaml", "schemaVersion: 1\ntrain:\n  batchSize: 0\n")
                .endsWith("experiment.yaml: train.batchSize must be 1..65536 (was 0)."));
        assertTrue(error("e.yaml", "schemaVersion: 1\ndata:\n  validationFraction: 1.0\n")
                .contains("e.yaml: data.validationFraction must be >= 0 and < 1 (was 1.0)"));
        assertTrue(error("e.yaml", "schemaVersion: 1\nmodel:\n  hidden: [4, 0]\n")
                .contains("e.yaml: model.hidden[1] must be >= 1 (was 0)"));
    }

    @Test
    void severalProblemsAreCounted() throws IOException {
        String m = error("e.yaml", "schemaVersion: 1\ntrain:\n  epochs: 0\n  batchSize: 0\n");
        assertTrue(m.endsWith("train.batchSize must be 1..65536 (was 0) (and 1 more problems)."), m);
    }

    @Test
    void missingSchemaVersion() throws IOException {
        String m = error("e.yaml", "name: x\n");
        assertTrue(m.contains("e.yaml: schemaVersion is missing; add 'schemaVersion: 1'"), m);
    }

    @Test
    void newerSchemaVersionAsksForUpgradeEvenWithUnknownFields() throws IOException {
        String m = error("experiment.yaml", "schemaVersion: 7\nfutureThing: 1\n");
        assertTrue(
                m.endsWith("experiment.yaml: schemaVersion 7 is newer than this Keiryo supports (1); upgrade Keiryo."),
                m);
    }

    @Test
    void invalidSchemaVersions() throws IOException {
        assertTrue(error("e.yaml", "schemaVersion: 0\n").contains("e.yaml: schemaVersion 0 is not a valid version"));
        assertTrue(error("e.yaml", "schemaVersion: one\n")
                .contains("e.yaml: schemaVersion must be an integer (was \"one\")"));
    }

    @Test
    void malformedYamlGivesLineNumber() throws IOException {
        String m = error("e.yaml", "schemaVersion: 1\ntrain:\n  epochs: 3\n   batchSize: 4\n");
        assertTrue(m.contains("e.yaml: malformed YAML at line 4"), m);
    }

    @Test
    void malformedJsonGivesLineNumber() throws IOException {
        String m = error("e.json", "{\n  \"schemaVersion\": 1,\n  \"name\": \"x\",,\n}");
        assertTrue(m.contains("e.json: malformed JSON at line 3"), m);
    }

    @Test
    void duplicateKeyIsMalformed() throws IOException {
        String m = error("e.yaml", "schemaVersion: 1\ntrain:\n  epochs: 3\n  epochs: 4\n");
        assertTrue(m.contains("e.yaml: malformed YAML at line 4") && m.contains("epochs"), m);
    }

    @Test
    void emptyAndNonMappingFiles() throws IOException {
        assertTrue(error("e.yaml", "").contains("e.yaml: is empty"));
        assertTrue(error("e.yaml", "- 1\n- 2\n").contains("e.yaml: must be a section of fields at the top level"));
    }

    @Test
    void stepsAreTypedAndTheirErrorsNameTheField() throws IOException {
        assertEquals(Experiment.defaults(), read("e.yaml", "schemaVersion: 1\nsteps: []\n"));
        Experiment e =
                read("e.yaml", "schemaVersion: 1\nsteps:\n  - prune: {mode: unit, fraction: 0.5, fineTuneEpochs: 1}\n");
        assertEquals(PruneMode.UNIT, e.steps().get(0).prune().mode());
        assertEquals(0.5, e.steps().get(0).prune().fraction());
        String range = error("e.yaml", "schemaVersion: 1\nsteps:\n  - prune: {mode: unit, fraction: 1.5}\n");
        assertTrue(range.contains("steps[0].prune.fraction must be >= 0 and < 1 (was 1.5)"), range);
        String unknown = error("e.yaml", "schemaVersion: 1\nsteps:\n  - prune: {mode: connection, sparsty: 0.9}\n");
        assertTrue(unknown.contains("unknown field 'steps[0].prune.sparsty'") && unknown.contains("sparsity"), unknown);
        String twoKinds = error("e.yaml", """
                schemaVersion: 1
                steps:
                  - prune: {mode: unit, fraction: 0.5}
                    sensitivity: {mode: unit}
                """);
        assertTrue(twoKinds.contains("steps[0] must have exactly one of"), twoKinds);
    }

    @Test
    void aFineTuneStepReadsWithItsDefaultsAndRefusesZeroEpochs() throws IOException {
        Experiment e = read("e.yaml", "schemaVersion: 1\nsteps:\n  - fineTune: {from: v0}\n");
        assertEquals(FineTuneStepSpec.of(1, "v0"), e.steps().get(0).fineTune());
        String zero = error("e.yaml", "schemaVersion: 1\nsteps:\n  - fineTune: {from: v0, epochs: 0}\n");
        assertTrue(zero.contains("steps[0].fineTune.epochs must be >= 1 (was 0)"), zero);
    }

    @Test
    void aDistillStepsFileFieldsAreTheBuildersAndWhatItLeavesOutIsTheBuildersDefaults() throws IOException {
        Experiment e = read("e.yaml", "schemaVersion: 1\nsteps:\n  - distill: {from: v0, width: 0.25}\n");
        assertEquals(
                DistillStepSpec.builder().from("v0").width(0.25).build(),
                e.steps().get(0).distill());

        DistillStepSpec hints = DistillStepSpec.builder()
                .from("v0")
                .width(0.5)
                .seeds(2)
                .compare(true)
                .hintLayer("conv2")
                .guidedLayer("conv2")
                .build();
        Path file = tmp.resolve("distill.yaml");
        ExperimentFile.write(Experiment.defaults().withSteps(List.of(StepSpec.of(hints))), file);
        String text = Files.readString(file);
        assertTrue(text.contains("hintLayer: conv2") && text.contains("temperature: 2.0"), text);
        assertTrue(!text.contains("uilder"), "the builder adds no field to the file: " + text);
        assertEquals(hints, ExperimentFile.read(file).steps().get(0).distill());
        assertEquals(hints, hints.toBuilder().build());
        assertEquals(0.125, hints.toBuilder().width(0.125).build().width());
    }

    @Test
    void missingFileAndUnknownExtension() {
        String missing = assertThrows(KeiryoException.class, () -> ExperimentFile.read(tmp.resolve("nope.yaml")))
                .getMessage();
        assertTrue(missing.contains("nope.yaml: no such file"), missing);
        String ext = assertThrows(KeiryoException.class, () -> ExperimentFile.read(tmp.resolve("e.txt")))
                .getMessage();
        assertTrue(ext.contains("e.txt: unsupported experiment file type"), ext);
    }

    private Experiment read(String name, String content) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, content);
        return ExperimentFile.read(file);
    }

    private String error(String name, String content) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, content);
        String m = assertThrows(KeiryoException.class, () -> ExperimentFile.read(file))
                .getMessage();
        assertTrue(m.startsWith(file.toString()), m);
        assertTrue(!m.contains("\n"), "one line: " + m);
        return m;
    }
}
