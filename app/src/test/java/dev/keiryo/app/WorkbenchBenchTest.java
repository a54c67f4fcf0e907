package dev.keiryo.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keiryo.engine.experiment.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkbenchBenchTest {
    @Test
    void speedCoversEveryEpochNotJustTheFirst(@TempDir Path run) throws Exception {
        // 3 epochs of 4,500 samples: 3 s, 1.5 s and 1.5 s, so 13,500 samples in 6 s.
        String rows = """
                      {"timeMs":1,"epoch":1,"iteration":1,"phase":"train","name":"loss","value":2.3}
                      {"timeMs":2,"epoch":1,"iteration":-1,"phase":"train","name":"samples_per_second","value":1500}
                      {"timeMs":3,"epoch":2,"iteration":-1,"phase":"train","name":"samples_per_second","value":3000}
                      {"timeMs":4,"epoch":3,"iteration":-1,"phase":"train","name":"samples_per_second","value":3000}\
                      """ + "\n";
        Files.writeString(run.resolve(MetricsLog.JSONL_FILE), rows);
        assertEquals(2250, WorkbenchBench.speed(run));
    }
}
