package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.run.LatencyStats;
import dev.keiryo.engine.api.run.RunResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Prints a finished job and maps its outcome to an exit code. */
final class Results {
    private Results() {}

    static int report(PrintWriter out, RunResult r, boolean json) {
        int code = switch (r.training().outcome()) {
            case COMPLETED, STOPPED_EARLY -> ExitCode.OK;
            case CANCELLED -> ExitCode.CANCELLED;
            case DIVERGED, STALLED -> ExitCode.TRAINING_FAILED;
        };
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "result");
            m.put("outcome", r.training().outcome());
            m.put("run", r.runDir().toString());
            m.put("message", r.training().message());
            if (r.test() != null) {
                m.put("testAccuracy", r.test().accuracy());
                m.put("testLoss", r.test().loss());
                m.put("parameters", r.model().parameters());
                m.put("modelFile", r.modelFile().toString());
                m.put("latency", r.latency());
                m.put("variants", r.variants());
            }
            out.println(Json.line(m));
        } else {
            if (r.training().message() != null) {
                out.println(r.training().message());
            }
            if (r.test() != null && r.training().state().epochsCompleted() == 0) {
                out.printf(
                        Locale.ROOT,
                        "loaded model  test accuracy %.4f (%d examples; %s)%n",
                        r.test().accuracy(),
                        r.test().examples(),
                        r.data());
            } else if (r.test() != null) {
                out.printf(
                        Locale.ROOT,
                        "test accuracy %.4f  loss %.4f  (%d examples; %s)%n",
                        r.test().accuracy(),
                        r.test().loss(),
                        r.test().examples(),
                        r.data());
                out.printf(
                        Locale.ROOT,
                        "model         %,d parameters, %,d FLOPs/sample, %s%n",
                        r.model().parameters(),
                        r.model().flopsPerSample(),
                        r.modelFile());
                for (LatencyStats l : r.latency()) {
                    out.printf(
                            Locale.ROOT,
                            "latency       batch %d: p50 %.2f ms, p95 %.2f ms (%,.0f samples/s)%n",
                            l.batchSize(),
                            l.p50Millis(),
                            l.p95Millis(),
                            l.samplesPerSecond());
                }
            }
            if (r.variants().size() > 1) {
                variants(out, r.variants());
            }
            out.println("run           " + r.runDir() + " ("
                    + r.training().outcome().name().toLowerCase(Locale.ROOT) + ")");
        }
        out.flush();
        return code;
    }

    static void variants(PrintWriter out, java.util.List<dev.keiryo.engine.api.run.Variant> variants) {
        out.printf(
                "%-4s %-6s %-17s %9s %11s %11s %9s %12s %8s %10s%n",
                "id",
                "parent",
                "step",
                "accuracy",
                "parameters",
                "non-zeros",
                "sparsity",
                "file bytes",
                "x fp32",
                "p50 b=1");
        for (dev.keiryo.engine.api.run.Variant v : variants) {
            var m = v.metrics();
            out.printf(
                    Locale.ROOT,
                    "%-4s %-6s %-17s %9.4f %,11d %,11d %8.1f%% %,12d %7.1fx %10s  %s%n",
                    v.id(),
                    v.parent() == null ? "-" : v.parent(),
                    v.step(),
                    m.accuracy(),
                    m.parameters(),
                    m.nonZeros(),
                    100 * m.sparsity(),
                    m.fileBytes(),
                    m.compressionVsFloat32(),
                    Double.isNaN(m.latencyBatch1Ms()) ? "-" : String.format(Locale.ROOT, "%.3fms", m.latencyBatch1Ms()),
                    m.fileEncoding());
        }
    }
}
