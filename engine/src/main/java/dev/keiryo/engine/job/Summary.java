package dev.keiryo.engine.job;

import dev.keiryo.engine.api.run.RunResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The run's summary.json: the numbers a user or a script looks at first. */
final class Summary {
    private Summary() {}

    static Map<String, Object> of(RunResult job, List<String> classNames) {
        Map<String, Object> m = brief(job);
        m.put("data", job.data());
        m.put("history", job.training().state().history());
        if (job.test() != null) {
            Map<String, Object> perClass = new LinkedHashMap<>();
            double[] acc = job.test().perClassAccuracy();
            for (int c = 0; c < acc.length; c++) {
                perClass.put(c < classNames.size() ? classNames.get(c) : Integer.toString(c), acc[c]);
            }
            m.put("testPerClassAccuracy", perClass);
            m.put("testConfusion", job.test().confusion());
        }
        m.put("latency", job.latency());
        m.put("variants", job.variants());
        if (job.model() != null) {
            m.put("layers", job.model().layers());
        }
        return m;
    }

    static Map<String, Object> brief(RunResult job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outcome", job.training().outcome());
        m.put("epochs", job.training().state().epochsCompleted());
        if (job.training().message() != null) {
            m.put("message", job.training().message());
        }
        if (job.test() != null) {
            m.put("testAccuracy", job.test().accuracy());
            m.put("testLoss", job.test().loss());
            m.put("testExamples", job.test().examples());
        }
        if (job.model() != null) {
            m.put("parameters", job.model().parameters());
            m.put("nonZeros", job.model().nonZeros());
            m.put("flopsPerSample", job.model().flopsPerSample());
            m.put("float32Bytes", job.model().float32Bytes());
        }
        if (job.modelFile() != null) {
            m.put("modelFile", job.runDir().relativize(job.modelFile()).toString());
        }
        return m;
    }
}
