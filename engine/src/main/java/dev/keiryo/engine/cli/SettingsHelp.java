package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.experiment.ComparisonSettings;
import dev.keiryo.engine.api.experiment.DataParallelSettings;
import dev.keiryo.engine.api.experiment.DistillationSettings;
import dev.keiryo.engine.api.experiment.ModelSettings;
import dev.keiryo.engine.api.experiment.SettingsCatalog;
import dev.keiryo.engine.api.experiment.TrainingSettings;
import dev.keiryo.engine.api.settings.Setting;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * The help of every flag that sets a declared setting, from its declaration: an option names its
 * setting with {@code descriptionKey = "<setting key>"} and picocli reads the text here, so the
 * help cannot drift from what the file, the checks and the settings reference say.
 */
final class SettingsHelp extends ResourceBundle {
    /**
     * Settings a command sets through another setting's flag: distill's student settings through the
     * training flags, and {@code train --compare-parallel}'s through the data-parallel ones.
     */
    static final Map<Setting<?>, Setting<?>> SET_BY_FLAG_OF = Map.of(
            DistillationSettings.EPOCHS, TrainingSettings.EPOCHS,
            DistillationSettings.LEARNING_RATE, TrainingSettings.LEARNING_RATE,
            DistillationSettings.WIDTH, ModelSettings.WIDTH,
            ComparisonSettings.WORKERS, DataParallelSettings.WORKERS,
            ComparisonSettings.AVERAGING_FREQUENCY, DataParallelSettings.AVERAGING_FREQUENCY);

    private static final Map<String, String> HELP = help();

    private static Map<String, String> help() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Setting<?> s : SettingsCatalog.all()) {
            m.put(s.key(), s.flagHelp());
        }
        // Picocli looks up "<qualified command name>.<key>" first: in distill the training flags say what they set
        // there.
        SET_BY_FLAG_OF.forEach((set, flagOf) -> {
            if (set.key().startsWith("distill.")) {
                m.put("keiryo.distill." + flagOf.key(), set.flagHelp());
            }
        });
        return Map.copyOf(m);
    }

    /** True when {@code key} names a declared setting. */
    static boolean declares(String key) {
        return HELP.containsKey(key);
    }

    @Override
    protected Object handleGetObject(String key) {
        return HELP.get(key);
    }

    @Override
    public Enumeration<String> getKeys() {
        return Collections.enumeration(HELP.keySet());
    }
}
