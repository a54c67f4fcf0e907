package dev.keiryo.engine.cli;

import dev.keiryo.engine.eval.LatencyStats;
import dev.keiryo.engine.job.JobResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Prints a finished job and maps its outcome to an exit code. */
final class Results {
    private Results() {
    }

    static int report(PrintWriter out, JobResult r, boolean json) {
        int code = switch (r.training().outcome()) {
            case COMPLETED, STOPPED_EARLY -> ExitCode.OK;
            case CANCELLED -> ExitCode.CANCELLED;
            case DIVERGED -> ExitCode.TRAINING_FAILED;
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
            }
            out.println(Json.line(m));
        } else {
            if (r.training().message() != null) {
                out.println(r.training().message());
            }
            if (r.test() != null) {
                out.printf(Locale.ROOT, "test accuracy %.4f  loss %.4f  (%d examples; %s)%n", r.test().accuracy(), r.test().loss(),
                        r.test().examples(), r.data());
                out.printf(Locale.ROOT, "model         %,d parameters, %,d FLOPs/sample, %s%n", r.model().parameters(),
                        r.model().flopsPerSample(), r.modelFile());
                for (LatencyStats l : r.latency()) {
                    out.printf(Locale.ROOT, "latency       batch %d: p50 %.2f ms, p95 %.2f ms (%,.0f samples/s)%n",
                            l.batchSize(), l.p50Millis(), l.p95Millis(), l.samplesPerSecond());
                }
            }
            out.println("run           " + r.runDir() + " (" + r.training().outcome().name().toLowerCase(Locale.ROOT) + ")");
        }
        out.flush();
        return code;
    }
}
