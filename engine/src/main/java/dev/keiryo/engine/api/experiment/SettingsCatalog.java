package dev.keiryo.engine.api.experiment;

import dev.keiryo.engine.api.settings.Setting;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every setting of the experiment file, in the order of the file's sections; for docs and tests. */
public final class SettingsCatalog {
    private SettingsCatalog() {}

    private static final List<Class<?>> SECTIONS = List.of(
            RunSettings.class,
            DataSettings.class,
            ModelSettings.class,
            TrainingSettings.class,
            DataParallelSettings.class,
            PruningSettings.class,
            QuantizationSettings.class,
            DistillationSettings.class,
            FineTuneSettings.class,
            ComparisonSettings.class);

    /** The catalogue classes, one per section or step kind. */
    public static List<Class<?>> sections() {
        return SECTIONS;
    }

    /** The settings one catalogue class declares, in declaration order. */
    public static List<Setting<?>> of(Class<?> section) {
        List<Setting<?>> out = new ArrayList<>();
        for (Field f : section.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == Setting.class) {
                try {
                    out.add((Setting<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(section + " must declare its settings public", e);
                }
            }
        }
        return out;
    }

    public static List<Setting<?>> all() {
        List<Setting<?>> out = new ArrayList<>();
        SECTIONS.forEach(s -> out.addAll(of(s)));
        return out;
    }

    public static Optional<Setting<?>> byKey(String key) {
        return all().stream().filter(s -> s.key().equals(key)).findFirst();
    }
}
