package dev.keiryo.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.experiment.SettingsCatalog;
import dev.keiryo.engine.api.settings.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every flag that sets a declared setting says so and shows the declaration's help; no declared flag goes without one. */
class FlagHelpTest {
    private static final Map<String, Setting<?>> SETTINGS =
            SettingsCatalog.all().stream().collect(Collectors.toMap(Setting::key, s -> s));

    private static final Pattern PICOCLI_KEY = Pattern.compile("mixinStandardHelpOptions\\.|helpCommand\\.");

    @Test
    void eachOptionNamingASettingIsThatSettingsFlagAndShowsItsHelp() {
        List<String> wrong = new ArrayList<>();
        for (CommandLine c : commands()) {
            for (OptionSpec o : c.getCommandSpec().options()) {
                String key = o.descriptionKey();
                if (key == null || key.isEmpty() || PICOCLI_KEY.matcher(key).lookingAt()) {
                    continue;
                }
                Setting<?> s = SETTINGS.get(key);
                if (s == null
                        || s.cliFlag().isEmpty()
                        || !List.of(o.names()).contains(s.cliFlag().get())) {
                    wrong.add(c.getCommandName() + " " + o.longestName() + " -> " + key);
                    continue;
                }
                String shown = String.join(" ", o.description());
                if (!c.getCommandName().equals("distill")) {
                    assertEquals(s.flagHelp(), shown, c.getCommandName() + " " + o.longestName());
                }
                assertTrue(
                        shown.startsWith(s.help().substring(0, 12))
                                || c.getCommandName().equals("distill"),
                        shown);
            }
        }
        assertEquals(List.of(), wrong, "options naming no setting, or a setting with another flag");
    }

    @Test
    void everyDeclaredFlagIsAnOptionThatNamesItsSetting() {
        TreeSet<String> named = new TreeSet<>();
        for (CommandLine c : commands()) {
            for (OptionSpec o : c.getCommandSpec().options()) {
                if (o.descriptionKey() != null && !o.descriptionKey().isEmpty()) {
                    named.add(o.descriptionKey());
                }
            }
        }
        TreeSet<String> missing = new TreeSet<>();
        for (Setting<?> s : SettingsCatalog.all()) {
            Setting<?> flagOf = SettingsHelp.SET_BY_FLAG_OF.getOrDefault(s, s);
            if (s.cliFlag().isPresent()
                    && (!named.contains(flagOf.key()) || !flagOf.cliFlag().equals(s.cliFlag()))) {
                missing.add(s.key() + " " + s.cliFlag().get());
            }
        }
        assertEquals(new TreeSet<String>(), missing);
    }

    private static List<CommandLine> commands() {
        List<CommandLine> all = new ArrayList<>();
        CommandLine root = KeiryoCli.commandLine();
        all.add(root);
        all.addAll(root.getSubcommands().values());
        return all;
    }
}
