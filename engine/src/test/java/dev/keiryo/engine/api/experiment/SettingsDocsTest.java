package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.GeneratedDocs;
import dev.keiryo.engine.api.settings.Setting;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/settings.md}, the reference of every experiment-file setting, equal to the
 * settings' own declarations. With {@code -Dkeiryo.docs.write=true} it rewrites the file.
 */
class SettingsDocsTest {
    private static final Path DOC = Path.of("..", "docs", "settings.md");

    static final String REGENERATE = "./mvnw -B -ntp -o -q -pl engine test -Dtest=SettingsDocsTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dkeiryo.docs.write=true";

    private static final Map<Class<?>, String> TITLES = Map.of(
            RunSettings.class, "The run (`name`, `seed`, `eval`)",
            DataSettings.class, "`data:`",
            ModelSettings.class, "`model:`",
            TrainingSettings.class, "`train:`",
            DataParallelSettings.class, "`train:`, data-parallel training",
            PruningSettings.class, "Steps `prune:`, `pruneTable:` and `sensitivity:`",
            QuantizationSettings.class, "Steps `quantize:` and `quantSweep:`",
            DistillationSettings.class, "Step `distill:`",
            FineTuneSettings.class, "Step `fineTune:`",
            ComparisonSettings.class, "Step `parallelCompare:`");

    @Test
    void referenceMatchesTheDeclarations() throws IOException {
        GeneratedDocs.check(DOC, render(), "the settings' declarations", REGENERATE);
    }

    static String render() {
        StringBuilder md = new StringBuilder();
        md.append("# Settings reference\n\n")
                .append("Every setting of the [experiment file](experiment-file.md): its name in the file, what")
                .append(" it accepts, its default, the `keiryo` flag that sets it and what it does. The file,")
                .append(" the flags and the workbench's property sheets check the same rule and refuse a bad")
                .append(" value with the same sentence, `<name> must be <accepts> (was <value>)`. A step's")
                .append(" setting is named `steps[i].<kind>.<field>` in messages.\n\n")
                .append("This page is generated from the declarations by `SettingsDocsTest`; to regenerate it:\n\n")
                .append("```sh\n")
                .append(REGENERATE)
                .append("\n```\n");
        for (Class<?> section : SettingsCatalog.sections()) {
            md.append("\n## ").append(TITLES.get(section)).append("\n\n");
            md.append("| setting | accepts | default | flag | what it does |\n");
            md.append("|---|---|---|---|---|\n");
            for (Setting<?> s : SettingsCatalog.of(section)) {
                md.append("| `")
                        .append(s.key())
                        .append("` | ")
                        .append(cell((s.isList() ? "a list, each " : "") + s.rule()))
                        .append(" | ")
                        .append(defaultText(s))
                        .append(" | ")
                        .append(s.cliFlag().map(f -> "`" + f + "`").orElse(""))
                        .append(" | ")
                        .append(cell(s.help()))
                        .append(" |\n");
            }
        }
        return md.toString();
    }

    private static String defaultText(Setting<?> s) {
        String d = s.defaultText();
        return s.defaultValue() == null && !s.isList() ? d : "`" + d + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
