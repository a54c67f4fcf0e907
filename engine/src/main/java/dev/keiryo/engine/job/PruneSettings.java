package dev.keiryo.engine.job;

import dev.keiryo.engine.api.compress.ConnectionPruneSpec;
import dev.keiryo.engine.api.compress.PruneScope;
import dev.keiryo.engine.api.compress.UnitCriterion;
import dev.keiryo.engine.api.experiment.PruneStepSpec;
import dev.keiryo.engine.compress.prune.unit.UnitPruneSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Maps a prune step of the experiment file onto the pruning library's specs. */
final class PruneSettings {
    private PruneSettings() {}

    static ConnectionPruneSpec connection(PruneStepSpec s) {
        PruneScope scope = "layer".equals(s.scope()) ? PruneScope.PER_LAYER : PruneScope.GLOBAL;
        ConnectionPruneSpec spec = s.threshold() != null
                ? ConnectionPruneSpec.belowThreshold(s.threshold())
                : scope == PruneScope.GLOBAL && s.layers().isEmpty()
                        ? ConnectionPruneSpec.global(value(s.sparsity()))
                        : ConnectionPruneSpec.perLayer(value(s.sparsity()));
        if (!s.layers().isEmpty()) {
            spec = spec.withLayerSparsity(s.layers())
                    .withLayers(java.util.List.copyOf(s.layers().keySet()));
        }
        return s.exclude().isEmpty() ? spec : spec.withExclude(s.exclude());
    }

    static UnitPruneSpec unit(PruneStepSpec s) {
        return unit(s.fraction(), s.layers(), s.criterion());
    }

    static UnitPruneSpec unit(Double fraction, Map<String, Double> layers, String criterion) {
        UnitCriterion c = criterion(criterion);
        if (layers.isEmpty()) {
            return UnitPruneSpec.allHidden(fraction, c);
        }
        return fraction == null ? UnitPruneSpec.perLayer(layers, c) : new UnitPruneSpec(layers, fraction, c);
    }

    static UnitCriterion criterion(String id) {
        return UnitCriterion.valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The step's settings as recorded in the variant's lineage. */
    static Map<String, Object> params(PruneStepSpec s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", s.mode().id());
        if (s.mode().id().equals("connection")) {
            m.put("scope", s.scope());
            put(m, "sparsity", s.sparsity());
            put(m, "threshold", s.threshold());
            m.put("schedule", s.schedule());
            if ("agp".equals(s.schedule())) {
                m.put("scheduleSteps", s.scheduleSteps());
            }
        } else {
            put(m, "fraction", s.fraction());
            m.put("criterion", s.criterion());
        }
        if (!s.layers().isEmpty()) {
            m.put("layers", s.layers());
        }
        if (!s.exclude().isEmpty()) {
            m.put("exclude", s.exclude());
        }
        m.put("fineTuneEpochs", s.fineTuneEpochs());
        return m;
    }

    private static double value(Double d) {
        return d == null ? 0.0 : d;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
