package dev.keiryo.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.keiryo.app.concurrent.InlineTasks;
import dev.keiryo.app.train.TrainSettingsModel;
import dev.keiryo.app.train.TrainViewModel;
import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DataParallelSettings;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ExperimentFile;
import dev.keiryo.engine.api.experiment.ParallelSpec;
import dev.keiryo.engine.api.experiment.RunSettings;
import dev.keiryo.engine.api.experiment.SettingsCatalog;
import dev.keiryo.engine.api.settings.Range;
import dev.keiryo.engine.api.settings.Setting;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Walks every declared setting and feeds one value it refuses and one it accepts to each front end
 * that has it: the experiment file, the {@code keiryo train} flags and the workbench's property
 * sheet. All three must refuse with the declaration's own sentence and accept the good value.
 * Choices are offered to the sheet only through a typed editor, so the sheet cannot type a bad one;
 * there the test checks the good value only. Step settings are checked through the file (the step
 * commands' flags build the same step records and run the same checks).
 */
class SettingsFrontEndsTest {
    @TempDir
    Path dir;

    /** Settings whose refusal is not a range or a list of words. */
    private static final Map<String, Object> BAD = Map.of("name", "two words", "train.devices", "tpu");

    /** A step kind's smallest valid body, to which the setting under test is added. */
    private static final Map<String, String> STEP = Map.of(
            "prune", "mode: connection",
            "pruneTable", "mode: connection",
            "quantize", "mode: affine",
            "quantSweep", "bits: [8]",
            "distill", "temperature: 2",
            "parallelCompare", "workers: 2",
            "fineTune", "epochs: 1");

    private int checked;

    @Test
    void everyFrontEndRefusesAndAcceptsTheSameValuesWithTheSameSentence() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Setting<?> s : SettingsCatalog.all()) {
            Object bad = bad(s);
            if (bad == null) {
                continue; // a flag or free text: nothing to refuse
            }
            String at = at(s);
            String sentence = sentence(s, bad, at);
            check(failures, s, "file refuses " + bad, sentence, fileMessage(s, bad));
            check(failures, s, "file accepts " + good(s), null, fileMessage(s, good(s)));
            if (!isStep(s) && s.cliFlag().isPresent()) {
                check(failures, s, "flag refuses " + bad, sentence, flagMessage(s, bad));
                check(failures, s, "flag accepts " + good(s), null, flagMessage(s, good(s)));
            }
            if (s.sheetLabel().isPresent()) {
                if (!s.type().isEnum()) {
                    check(failures, s, "sheet refuses " + bad, sentence, sheetMessage(s, bad));
                }
                check(failures, s, "sheet accepts " + good(s), null, sheetMessage(s, good(s)));
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " disagreements:\n" + String.join("\n", failures));
        }
        assertTrue(checked > 100, "the walk reached only " + checked + " checks");
    }

    private void check(List<String> failures, Setting<?> s, String what, String expected, String actual) {
        checked++;
        if (expected == null ? actual != null : actual == null || !actual.contains(expected)) {
            failures.add(s.key() + ": " + what + ": expected " + (expected == null ? "no problem" : expected) + ", got "
                    + actual);
        }
    }

    // --- values ---

    private static Object bad(Setting<?> s) {
        if (BAD.containsKey(s.key())) {
            return BAD.get(s.key());
        }
        if (s.type().isEnum() || s.rule().startsWith("one of ")) {
            return "bogus";
        }
        Range r = s.range().orElse(null);
        if (r == null) {
            return null;
        }
        boolean whole = s.type() != Double.class;
        double v = Double.isFinite(r.min())
                ? (r.minIncluded() ? r.min() - (whole ? 1 : 0.5) : r.min())
                : (r.maxIncluded() ? r.max() + (whole ? 1 : 0.5) : r.max());
        return whole ? (Object) (long) v : (Object) v;
    }

    private static Object good(Setting<?> s) {
        Object d = s.defaultValue();
        if (d instanceof dev.keiryo.engine.api.settings.Choice c) {
            return c.id();
        }
        if (d != null) {
            return d;
        }
        if (s.type().isEnum()) {
            return ((dev.keiryo.engine.api.settings.Choice) s.choices().get(0)).id();
        }
        if (s.key().equals("train.devices")) {
            return "cpu";
        }
        if (s.rule().startsWith("one of ")) {
            return s.rule().substring("one of ".length()).split(", ", -1)[0];
        }
        Range r = s.range().orElseThrow(() -> new AssertionError(s.key() + ": no good value known"));
        double v = Double.isFinite(r.max()) && Double.isFinite(r.min()) ? (r.min() + r.max()) / 2 : r.min() + 1;
        return s.type() == Double.class ? (Object) v : (Object) (long) Math.ceil(v);
    }

    /** Where the file's checks name the setting: a list's first element, a step's field in steps[0]. */
    private static String at(Setting<?> s) {
        String at = isStep(s) ? "steps[0]." + s.key() : s.key();
        if (s.key().equals("prune.layers")) {
            return at + ".dense0";
        }
        return s.isList() ? at + "[0]" : at;
    }

    private static String sentence(Setting<?> s, Object bad, String at) {
        String shown = bad instanceof String ? "\"" + bad + "\"" : String.valueOf(bad);
        if (s.type() == Double.class && bad instanceof Number n) {
            shown = String.valueOf(n.doubleValue());
        }
        return at + " must be " + s.rule() + " (was " + shown + ")";
    }

    private static boolean isStep(Setting<?> s) {
        return STEP.containsKey(
                s.key().substring(0, s.key().indexOf('.') < 0 ? 0 : s.key().indexOf('.')));
    }

    // --- the experiment file ---

    private String fileMessage(Setting<?> s, Object value) throws IOException {
        Path f = dir.resolve("e" + checked + ".yaml");
        Files.writeString(f, yaml(s, value), StandardCharsets.UTF_8);
        try {
            ExperimentFile.read(f);
            return null;
        } catch (KeiryoException e) {
            return e.getMessage();
        }
    }

    private static String yaml(Setting<?> s, Object value) {
        String v = s.isList() && !s.key().equals("prune.layers") ? "[" + value + "]" : String.valueOf(value);
        String key = s.key();
        StringBuilder y = new StringBuilder("schemaVersion: 1\n");
        if (isStep(s)) {
            String kind = key.substring(0, key.indexOf('.'));
            String field = key.substring(key.indexOf('.') + 1);
            String body = field.equals("layers")
                    ? "mode: unit\n      layers: {dense0: " + value + "}"
                    : (STEP.get(kind).startsWith(field + ":") ? "" : STEP.get(kind) + "\n      ") + field + ": " + v;
            if (kind.equals("prune") && field.equals("mode")) {
                body = "sparsity: 0.5\n      mode: " + v;
            } else if (kind.equals("prune") && !field.equals("layers")) {
                body = stepBody(field) + "\n      " + field + ": " + v;
            }
            if (kind.equals("distill") && field.equals("hintEpochs")) {
                body = "hintLayer: a\n      guidedLayer: b\n      hintEpochs: " + v;
            }
            return y.append("steps:\n  - ")
                    .append(kind)
                    .append(":\n      ")
                    .append(body)
                    .append('\n')
                    .toString();
        }
        if (!key.contains(".")) {
            return y.append(key).append(": ").append(v).append('\n').toString();
        }
        String section = key.substring(0, key.indexOf('.'));
        y.append(section).append(":\n");
        if (key.equals("train.workers")) {
            y.append("  mode: sync\n");
        }
        return y.append("  ")
                .append(key.substring(key.indexOf('.') + 1))
                .append(": ")
                .append(v)
                .append('\n')
                .toString();
    }

    /** A prune step needs a target; the one chosen never clashes with the field under test. */
    private static String stepBody(String field) {
        return switch (field) {
            case "fraction" -> "mode: unit";
            case "criterion" -> "mode: unit\n      fraction: 0.5";
            case "sparsity", "threshold" -> "mode: connection";
            default -> "mode: connection\n      sparsity: 0.5";
        };
    }

    // --- the command line ---

    private String flagMessage(Setting<?> s, Object value) {
        List<String> args = new ArrayList<>(List.of("train"));
        if (s == DataParallelSettings.WORKERS) {
            args.addAll(List.of("--mode", "sync"));
        }
        args.addAll(List.of(s.cliFlag().orElseThrow(), String.valueOf(value)));
        CommandLine cli = KeiryoCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(args.toArray(String[]::new));
            TrainCommand train =
                    (TrainCommand) parsed.subcommand().commandSpec().userObject();
            List<String> problems = train.parallel
                    .apply(train.overrides.apply(Experiment.defaults()))
                    .problems();
            return problems.isEmpty() ? null : String.join("; ", problems);
        } catch (KeiryoException e) {
            return e.getMessage();
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
    }

    // --- the property sheet ---

    @SuppressWarnings("unchecked")
    private String sheetMessage(Setting<?> s, Object value) {
        Workspace ws = new Workspace(new InlineTasks(), dir.resolve("ws"));
        TrainViewModel vm = new TrainViewModel(ws);
        if (s == DataParallelSettings.WORKERS) {
            vm.settings().modeProperty().set(ParallelSpec.TrainMode.SYNC);
        }
        TrainSettingsModel.SheetRow row = vm.settings().settings().stream()
                .filter(r -> r.declared() == s)
                .findFirst()
                .orElseThrow(() -> new AssertionError(s.key() + " has a sheet label but no row"));
        Object typed = value;
        if (s.type().isEnum()) {
            typed = s.parse(String.valueOf(value));
        } else if (s.type() == Integer.class) {
            typed = ((Number) value).intValue();
        } else if (s.type() == Long.class) {
            typed = ((Number) value).longValue();
        } else if (s.type() == Double.class) {
            typed = ((Number) value).doubleValue();
        }
        ((javafx.beans.property.Property<Object>) row.property()).setValue(typed);
        List<String> problems = ws.experiment().problems();
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    @Test
    void theCatalogueNamesEachSettingOnce() {
        List<String> keys = SettingsCatalog.all().stream().map(Setting::key).toList();
        assertEquals(keys.size(), keys.stream().distinct().count(), keys.toString());
        assertTrue(keys.contains(RunSettings.NAME.key()));
    }
}
