package dev.keiryo.engine.bench;

import dev.keiryo.engine.compress.prune.PreviewResult;
import dev.keiryo.engine.compress.prune.PruneRequest;
import dev.keiryo.engine.compress.prune.PruningPreview;
import dev.keiryo.engine.compress.prune.connection.ConnectionPruneSpec;
import dev.keiryo.engine.compress.prune.unit.UnitCriterion;
import dev.keiryo.engine.compress.prune.unit.UnitPruneSpec;
import dev.keiryo.engine.data.Dataset;
import dev.keiryo.engine.model.KeiryoModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times the pruning preview the GUI's slider calls: a sweep of settings, as a drag would produce,
 * each evaluated on the same validation subset. Reports median and p95 per pruning mode.
 */
public final class PreviewBench {
    private PreviewBench() {
    }

    public record Stats(String mode, int examples, int requests, double medianMs, double p95Ms, double minAccuracy,
            double maxAccuracy) {
    }

    public static List<Stats> run(KeiryoModel model, Dataset validation, int examples, int requests) {
        List<Stats> out = new ArrayList<>();
        try (PruningPreview preview = new PruningPreview(model, validation, examples)) {
            Map<String, List<PruneRequest>> sweeps = new LinkedHashMap<>();
            List<PruneRequest> conn = new ArrayList<>();
            List<PruneRequest> unit = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                double s = 0.05 + 0.9 * i / Math.max(1, requests - 1);
                conn.add(PruneRequest.of(ConnectionPruneSpec.global(s)));
                unit.add(PruneRequest.of(UnitPruneSpec.allHidden(Math.min(0.9, s), UnitCriterion.L1)));
            }
            sweeps.put("connection-global", conn);
            sweeps.put("unit-l1", unit);
            for (Map.Entry<String, List<PruneRequest>> sweep : sweeps.entrySet()) {
                preview.evaluate(sweep.getValue().get(0), () -> false);
                double[] ms = new double[sweep.getValue().size()];
                double lo = 1;
                double hi = 0;
                for (int i = 0; i < ms.length; i++) {
                    long t = System.nanoTime();
                    PreviewResult r = preview.evaluate(sweep.getValue().get(i), () -> false);
                    ms[i] = (System.nanoTime() - t) / 1e6;
                    lo = Math.min(lo, r.accuracy());
                    hi = Math.max(hi, r.accuracy());
                }
                Arrays.sort(ms);
                out.add(new Stats(sweep.getKey(), Math.min(examples, validation.size()), ms.length, round(ms[ms.length / 2]),
                        round(ms[(int) Math.ceil(0.95 * ms.length) - 1]), lo, hi));
            }
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
